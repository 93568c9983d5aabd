using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recouvrement.Hosting;
using Recouvrement.Messaging;
using Recouvrement.Payments;

namespace Recouvrement.Debtors;

/// <summary>
/// A debtor: collects the contact requests of its cases and, once per send window, sends one message per channel
/// for all of them, after checking each case still wants it. It loads its state, asks <see cref="DebtorDecisions"/>
/// what to do, persists once, then acts; the sending itself runs outside its turns (<see cref="DispatchRunner"/>).
/// </summary>
/// <remarks>
/// Sending is at most once per message: a round's messages are written to state as in flight before the first is
/// handed to its channel, and their answers are written after. A round that finds messages still in flight (the silo
/// died in between, or the round was lost) logs them as in doubt and never sends them again. Wake-ups are set before
/// the write that needs them and removed after it: a wake-up with nothing to do is harmless, a write without one is not.
/// </remarks>
[CollectionAgeLimit(Minutes = 5)]
public sealed partial class DebtorGrain(
    [PersistentState("debtor", StorageNames.Default)] IPersistentState<DebtorState> state,
    [FromKeyedServices(EngineClock.Key)] TimeProvider clock,
    DispatchRunner runner,
    PaymentLinks links,
    MessageFiles files,
    IOptions<ContactOptions> options,
    IOptions<RetentionOptions> retention,
    ILogger<DebtorGrain> logger) : Grain, IDebtorGrain, IRemindable, IWrittenByBulkIntake
{
    internal const string DispatchReminder = "dispatch";
    internal const string RetentionReminder = "retention";

    private string? key;
    private ReminderAlarm? alarm;
    private ReminderAlarm? forget;
    private PhoneIndex? phones;
    private bool dispatching;
    private bool dispatchAgain;
    private int rounds;
    private DispatchProgress? round;
    private DispatchBatch? batch;

    private string Key => key ??= this.GetPrimaryKeyString();

    private ContactOptions Options => options.Value;

    private ReminderAlarm Alarm => alarm ??= new(this, DispatchReminder, DebtorDecisions.RetryPeriod, clock, () =>
    {
        StartDispatch(orAfterTheCurrentOne: true);
        return Task.CompletedTask;
    });

    private PhoneIndex Phones => phones ??= new(GrainFactory, Key, Options, clock, logger);

    /// <summary>The retention timer: once the last case settled and the period ran, the debtor's personal data is erased.</summary>
    private ReminderAlarm Forget => forget ??= new(this, RetentionReminder, TimeSpan.FromDays(1), clock, () =>
    {
        ForgetIfDue();
        return Task.CompletedTask;
    });

    Orleans.Core.IStorage IWrittenByBulkIntake.BulkWrittenRecord => state;

    public async Task Attach(string caseReference, DebtorDetails details)
    {
        var waitedToForget = state.State.ForgetAt is not null;
        await Persist(DebtorDecisions.Attach(state.State, caseReference, details));
        if (waitedToForget && state.State.ForgetAt is null)
        {
            await Forget.StopAsync();
        }
    }

    public async Task<bool> RequestContact(ContactRequest request)
    {
        if (state.State.Details is null || !state.State.OpenCases.Contains(request.CaseReference))
        {
            return false;
        }

        var (next, moved) = DebtorDecisions.Queue(state.State, request, clock.GetUtcNow(), Options);
        if (!ReferenceEquals(next, state.State))
        {
            // The phone is registered for STOP and START replies as soon as an SMS is planned, when the case steps,
            // rather than in the send window, where every debtor due at its opening competes for the silo.
            next = await Phones.Register(next, smsPlanned: request.Channels.Contains(Channel.Sms));
            if (moved is { } at)
            {
                await Alarm.SetAsync(at);
            }

            await Persist(next);
        }

        return true;
    }

    public async Task Withdraw(string caseReference, bool caseIsSettled)
    {
        var after = DebtorDecisions.Withdraw(state.State, caseReference, caseIsSettled, clock.GetUtcNow(), retention.Value);
        if (!ReferenceEquals(after, state.State))
        {
            if (after.ForgetAt is { } forgetAt && forgetAt != state.State.ForgetAt)
            {
                await Forget.SetAsync(forgetAt);
            }

            await Persist(after);
            if (after.DispatchAt is null)
            {
                await Alarm.StopAsync();
            }
        }
    }

    public Task<DebtorView?> Get() => Task.FromResult(DebtorDecisions.View(state.State));

    public async Task<bool> CorrectDetails(string? email, string? phone, PostalAddress? address)
    {
        var before = state.State;
        await Persist(DebtorDecisions.Correct(before, email, phone, address, clock.GetUtcNow()));
        return !ReferenceEquals(before, state.State);
    }

    public async Task RecordDelivery(DeliveryReport report)
    {
        var after = DebtorDecisions.Delivery(state.State, report, Options);
        if (!ReferenceEquals(after, state.State))
        {
            await Persist(after);
            LogFeedback(logger, report.MessageId, report.Channel, report.Outcome);
            EngineMetrics.FeedbackReceived(report.Channel, report.Outcome);
        }
    }

    public async Task<bool> SetSmsOptOut(string phone, bool optedOut)
    {
        var before = state.State;
        await Persist(DebtorDecisions.OptOut(before, phone, optedOut, clock.GetUtcNow()));
        return !ReferenceEquals(before, state.State);
    }

    /// <summary>
    /// A tick only starts the dispatch, which waits for a slot and runs outside this grain's turns; it is answered at
    /// once. The reminder, moved or removed only at the round's end, still covers a silo that dies before it.
    /// </summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        switch (reminderName)
        {
            case DispatchReminder:
                StartDispatch(orAfterTheCurrentOne: false);
                break;
            case RetentionReminder when state.State.ForgetAt is null:
                await Forget.StopAsync();
                break;
            case RetentionReminder:
                ForgetIfDue();
                break;
        }
    }

    /// <summary>The erasure runs outside this grain's turns, as an API request's does (<see cref="DebtorErasure"/>).</summary>
    private void ForgetIfDue()
    {
        if (state.State is { ForgetAt: { } at, OpenCases.IsEmpty: true, Details: not null } && at <= clock.GetUtcNow())
        {
            var (creditorId, reference) = GrainKeys.Split(Key);
            var grains = GrainFactory;
            _ = Task.Run(async () =>
            {
                try
                {
                    await DebtorErasure.EraseAsync(grains, creditorId, reference, DebtorErasure.Retention);
                }
                catch (Exception e)
                {
                    // The retention reminder ticks again the next day.
                    LogRetentionFailed(logger, e);
                }
            });
        }
    }

    public async Task<IReadOnlyList<string>?> BeginErasure()
    {
        var (after, cases) = DebtorDecisions.BeginErasure(state.State);
        if (cases is not null)
        {
            await Persist(after);
            if (after.DispatchAt is null)
            {
                await Alarm.StopAsync();
            }

            await Forget.StopAsync();
        }

        return cases;
    }

    public async Task<Erasure> CompleteErasure(string by, int cases)
    {
        if (state.State.IndexedPhone is { } phone)
        {
            await GrainFactory.Reference<IPhoneNumberGrain>(phone).Remove(Key);
        }

        var (creditorId, reference) = GrainKeys.Split(Key);
        files.EraseDebtor(creditorId, reference);
        if (ServiceProvider.GetService<Events.ICaseSummaryWriter>() is { } readModel)
        {
            await readModel.EraseDebtorAsync(creditorId, reference);
        }

        await Persist(DebtorDecisions.CompleteErasure(state.State, by, cases, clock.GetUtcNow()));
        LogErased(logger, Key, by);
        return state.State.Erasure!;
    }

    /// <summary>
    /// One dispatch at a time per activation. A reminder tick during one is answered by it; a wake-up set during one
    /// (its own next round, due at once) runs right after it.
    /// </summary>
    private void StartDispatch(bool orAfterTheCurrentOne)
    {
        if (dispatching)
        {
            dispatchAgain |= orAfterTheCurrentOne;
            return;
        }

        dispatching = true;
        _ = Dispatch();
    }

    private async Task Dispatch()
    {
        try
        {
            do
            {
                dispatchAgain = false;
                await Task.Run(() => runner.RunAsync(Key));
            }
            while (dispatchAgain);
        }
        finally
        {
            dispatching = false;
        }
    }

    public async Task<DispatchBatch?> BeginDispatch()
    {
        var now = clock.GetUtcNow();
        var (recovered, lost) = DebtorDecisions.Recover(state.State, now, Options);
        foreach (var message in state.State.InFlight)
        {
            LogInDoubt(logger, message.MessageId, message.Channel);
        }

        (round, batch) = (null, null);
        var readiness = DebtorDecisions.Readiness(recovered, now);
        if (!readiness.Ready)
        {
            await Wake(readiness.State, readiness.WakeAt, lost);
            return null;
        }

        // The current state of every case is checked right before sending: a case paid, held or disputed since it
        // asked is never reminded.
        var wanted = new List<ContactRequest>();
        foreach (var request in readiness.State.Pending)
        {
            if (await CaseOf(request.CaseReference).StillWantsContact(request.Stage))
            {
                wanted.Add(request);
            }
        }

        var step = DebtorDecisions.Begin(readiness.State, wanted, ++rounds, now, Options, Key);
        if (step.Messages.Count == 0)
        {
            return await Finish(step, now, lost);
        }

        var creditorId = GrainKeys.Split(Key).CreditorId;
        var (creditor, settings) = await GrainFactory.Reference<ICreditorGrain>(creditorId).GetProfileAndSettings();
        await Persist(step.State);
        Notify(lost);
        DelayDeactivation(DebtorDecisions.RetryPeriod);
        round = step.Progress;
        batch = new DispatchBatch(round.Round, step.Messages, step.State.Details!, creditorId, creditor?.Name ?? creditorId, settings, links.LinkFor(Key, now), now);
        return batch;
    }

    public async Task<DispatchBatch?> RecordSent(int round, IReadOnlyList<SentMessage> sent)
    {
        var now = clock.GetUtcNow();
        var progress = this.round is { } current && current.Round == round ? current : DispatchProgress.Adopted(round, state.State.DispatchAt ?? now);
        var step = DebtorDecisions.Record(state.State, progress, sent, now, Options, Key);
        if (step.Messages.Count == 0 || batch is null)
        {
            return await Finish(step, now, []);
        }

        await Persist(step.State);
        this.round = step.Progress;
        return batch = batch with { Messages = step.Messages };
    }

    private async Task<DispatchBatch?> Finish(DispatchStep step, DateTimeOffset now, IReadOnlyList<CaseReceipt> lost)
    {
        (round, batch) = (null, null);
        var after = DebtorDecisions.Finish(step.State, step.Progress, now, Options);
        after = await Phones.Register(after, PhoneIndex.Texted(after));
        await Wake(after, after.DispatchAt, [.. lost, .. step.Progress.Receipts]);
        return null;
    }

    /// <summary>Persists the state with its next wake-up (set before the write, removed after it) and confirms contacts to their cases.</summary>
    private async Task Wake(DebtorState after, DateTimeOffset? at, IReadOnlyList<CaseReceipt> receipts)
    {
        if (at is { } wake)
        {
            await Alarm.SetAsync(wake);
        }

        await Persist(after);
        Notify(receipts);
        if (at is null)
        {
            await Alarm.StopAsync();
        }
    }

    /// <summary>Writes the new state with the events of the change (IEventSource), in one transaction; the events are then let go.</summary>
    private async Task Persist(DebtorState next)
    {
        if (!ReferenceEquals(next, state.State))
        {
            state.State = DebtorFacts.Stamp(state.State, next, GrainKeys.Split(Key).CreditorId, clock.GetUtcNow());
            await state.WriteStateAsync();
            if (!state.State.NewEvents.IsEmpty)
            {
                state.State = state.State with { NewEvents = [] };
            }
        }
    }

    /// <summary>One-way: the debtor never waits on a case that may be waiting on it; its own contact log is the durable record.</summary>
    private void Notify(IEnumerable<CaseReceipt> receipts)
    {
        foreach (var receipt in receipts)
        {
            _ = CaseOf(receipt.CaseReference).ContactMade(receipt.Receipt);
        }
    }

    private ICaseGrain CaseOf(string caseReference) =>
        GrainFactory.Reference<ICaseGrain>(GrainKeys.Compose(GrainKeys.Split(Key).CreditorId, caseReference));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} by {Channel} was handed over without its answer recorded; it is logged as in doubt and not sent again")]
    private static partial void LogInDoubt(ILogger logger, string messageId, Channel channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The erasure at the end of a debtor's retention period failed; it is tried again the next day")]
    private static partial void LogRetentionFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Debtor {DebtorKey}: personal data erased, asked by {By}")]
    private static partial void LogErased(ILogger logger, string debtorKey, string by);

    [LoggerMessage(Level = LogLevel.Information, Message = "Feedback on message {MessageId} by {Channel}: {Outcome}")]
    private static partial void LogFeedback(ILogger logger, string messageId, Channel channel, DeliveryOutcome outcome);
}
