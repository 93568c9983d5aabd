using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recouvrement.Hosting;

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
    DebtorTraces traces,
    IOptions<ContactOptions> options,
    IOptions<RetentionOptions> retention,
    ILogger<DebtorGrain> logger) : Grain, IDebtorGrain, IRemindable, IWrittenByBulkIntake
{
    private readonly DispatchRounds rounds = new();
    private string? key;
    private DebtorTimers? timers;
    private PhoneIndex? phones;
    private DebtorCases? cases;

    private string Key => key ??= this.GetPrimaryKeyString();

    private ContactOptions Options => options.Value;

    private DebtorTimers Timers => timers ??= new(new(this, clock, runner, Key), new(this, GrainFactory, Key, clock, () => state.State, logger));

    private PhoneIndex Phones => phones ??= new(GrainFactory, Key, Options, clock, logger);

    private DebtorCases Cases => cases ??= new(GrainFactory, Key);

    Orleans.Core.IStorage IWrittenByBulkIntake.BulkWrittenRecord => state;

    public Task<DebtorView?> Get() => Task.FromResult(DebtorDecisions.View(state.State));

    public Task Attach(string caseReference, DebtorDetails details, string? variant = null) =>
        Persist(DebtorDecisions.Attach(state.State, caseReference, details, variant));

    public Task<string?> VariantFor(string? proposed) => Task.FromResult(DebtorDecisions.VariantFor(state.State, proposed));

    public async Task<bool> RequestContact(ContactRequest request)
    {
        if (state.State.Details is null || !state.State.OpenCases.Contains(request.CaseReference))
        {
            return false;
        }

        var (next, _) = DebtorDecisions.Queue(state.State, request, clock.GetUtcNow(), Options);
        if (!ReferenceEquals(next, state.State))
        {
            // The phone is registered for STOP and START replies as soon as an SMS is planned, when the case steps,
            // rather than in the send window, where every debtor due at its opening competes for the silo.
            await Persist(await Phones.Register(next, smsPlanned: request.Channels.Contains(Channel.Sms)));
        }

        return true;
    }

    public Task Withdraw(string caseReference, bool caseIsSettled) =>
        Persist(DebtorDecisions.Withdraw(state.State, caseReference, caseIsSettled, clock.GetUtcNow(), retention.Value));

    public Task<bool> CorrectDetails(string? email, string? phone, PostalAddress? address) =>
        Changed(DebtorDecisions.Correct(state.State, email, phone, address, clock.GetUtcNow()));

    public Task<bool> SetSmsOptOut(string phone, bool optedOut) => Changed(DebtorDecisions.OptOut(state.State, phone, optedOut, clock.GetUtcNow()));

    public async Task RecordDelivery(DeliveryReport report)
    {
        if (await Changed(DebtorDecisions.Delivery(state.State, report, Options)))
        {
            LogFeedback(logger, report.MessageId, report.Channel, report.Outcome);
            EngineMetrics.FeedbackReceived(report.Channel, report.Outcome);
        }
    }

    /// <summary>
    /// A dispatch tick only starts the dispatch, which waits for a slot and runs outside this grain's turns; it is
    /// answered at once. The reminder, moved or removed only at the round's end, still covers a silo that dies before it.
    /// </summary>
    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == DispatchWakeup.Reminder)
        {
            Timers.Dispatch.Ticked();
        }

        return reminderName == RetentionTimer.Reminder ? Timers.Retention.Tick() : Task.CompletedTask;
    }

    public async Task<IReadOnlyList<string>?> BeginErasure()
    {
        var (after, cases) = DebtorDecisions.BeginErasure(state.State);
        await Persist(after);
        return cases;
    }

    public async Task<Erasure> CompleteErasure(string by, int cases)
    {
        await traces.EraseAsync(Key, state.State.IndexedPhone);
        await Persist(DebtorDecisions.CompleteErasure(state.State, by, cases, clock.GetUtcNow()));
        LogErased(logger, Key, by);
        return state.State.Erasure!;
    }

    public async Task<DispatchBatch?> BeginDispatch()
    {
        var now = clock.GetUtcNow();
        var (recovered, lost) = DebtorDecisions.Recover(state.State, now, Options);
        foreach (var message in state.State.InFlight)
        {
            LogInDoubt(logger, message.MessageId, message.Channel);
        }

        rounds.End();
        var readiness = DebtorDecisions.Readiness(recovered, now);
        if (!readiness.Ready)
        {
            var planned = state.State.DispatchAt;
            await Persist(readiness.State, lost);
            await Timers.Dispatch.NotYetAsync(readiness.WakeAt, planned);
            return null;
        }

        var step = rounds.Begin(readiness.State, await Cases.StillWanting(readiness.State.Pending), now, Options, Key);
        if (step.Messages.Count == 0)
        {
            return await Finish(step, now, lost);
        }

        await Persist(step.State, lost);
        DelayDeactivation(DebtorDecisions.RetryPeriod);
        return rounds.Started(step, step.State.Details!, now);
    }

    public async Task<DispatchBatch?> RecordSent(int round, IReadOnlyList<SentMessage> sent)
    {
        var now = clock.GetUtcNow();
        var step = rounds.Record(state.State, round, sent, now, Options, Key);
        if (rounds.Next(step) is not { } next)
        {
            return await Finish(step, now, []);
        }

        await Persist(step.State);
        return next;
    }

    private async Task<DispatchBatch?> Finish(DispatchStep step, DateTimeOffset now, IReadOnlyList<CaseReceipt> lost)
    {
        rounds.End();
        var after = DebtorDecisions.Finish(step.State, step.Progress, now, Options);
        await Persist(await Phones.Register(after, PhoneIndex.Texted(after)), [.. lost, .. step.Progress.Receipts]);
        return null;
    }

    /// <summary>Persists a decision's state; whether it changed anything.</summary>
    private async Task<bool> Changed(DebtorState after)
    {
        var changed = !ReferenceEquals(after, state.State);
        await Persist(after);
        return changed;
    }

    /// <summary>
    /// Writes the new state with the events of the change (IEventSource) in one transaction, its timers following it
    /// (<see cref="DebtorTimers"/>), lets the events go, then confirms contacts to their cases.
    /// </summary>
    private async Task Persist(DebtorState next, IReadOnlyList<CaseReceipt>? confirmed = null)
    {
        var before = state.State;
        if (!ReferenceEquals(next, before))
        {
            await Timers.BeforeWriteAsync(before, next);
            state.State = DebtorFacts.Stamp(before, next, GrainKeys.Split(Key).CreditorId, clock.GetUtcNow());
            await state.WriteStateAsync();
            state.State = state.State.NewEvents.IsEmpty ? state.State : state.State with { NewEvents = [] };
            await Timers.AfterWriteAsync(before, next);
        }

        Cases.Confirm(confirmed ?? []);
    }
}
