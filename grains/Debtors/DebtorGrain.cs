using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recouvrement.Calendar;
using Recouvrement.Hosting;
using Recouvrement.Messaging;
using Recouvrement.Payments;

namespace Recouvrement.Debtors;

/// <summary>
/// A debtor: collects the contact requests of its cases and, once per send window, sends one message per
/// channel for all of them, after checking each case still wants it. It owns the contact points' health, the
/// SMS opt-out, the frequency caps and the minimum gap between contacts.
/// </summary>
/// <remarks>
/// Sending is at most once per message: the messages of a dispatch are written to state as in flight before the
/// first is handed to its channel, and their answers are written after. A dispatch that finds messages still in
/// flight (the silo died in between) logs them as in doubt and never sends them again.
/// </remarks>
[CollectionAgeLimit(Minutes = 5)]
public sealed partial class DebtorGrain(
    [PersistentState("debtor", StorageNames.Default)] IPersistentState<DebtorState> state,
    [FromKeyedServices(EngineClock.Key)] TimeProvider clock,
    IMessageChannel channel,
    PaymentLinks links,
    DispatchSlots slots,
    IOptions<ContactOptions> options,
    IOptions<AgencyOptions> agency,
    ILogger<DebtorGrain> logger) : Grain, IDebtorGrain, IRemindable, IIncomingGrainCallFilter
{
    internal const string DispatchReminder = "dispatch";
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromMinutes(30);
    private const int FallbackRounds = 3;

    private string Key => key ??= this.GetPrimaryKeyString();

    private string? key;

    private ContactOptions Options => options.Value;

    /// <summary>
    /// An activation that found no record reads again before each call: bulk intake may have written this debtor
    /// since (see <see cref="Cases.ICaseBulkStore"/>), and acting on the empty state would lose it.
    /// </summary>
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        await emptyRecord.ReadAgainBeforeCall();
        await context.Invoke();
    }

    private readonly Hosting.EmptyRecordCheck<DebtorState> emptyRecord = new(state);

    public async Task Attach(string caseReference, DebtorDetails details)
    {
        var next = state.State.Attach(caseReference, details);
        if (ReferenceEquals(next, state.State))
        {
            return;
        }

        state.State = next;
        await state.WriteStateAsync();
    }

    public async Task RequestContact(ContactRequest request)
    {
        var (next, moved) = ContactPlanner.Queue(state.State, request, clock.GetUtcNow(), Options);
        if (ReferenceEquals(next, state.State))
        {
            return;
        }

        // The phone is registered for STOP and START replies as soon as an SMS is planned, when the case steps,
        // rather than in the send window, where every debtor due at its opening competes for the silo.
        state.State = await IndexPhone(next, smsPlanned: request.Channels.Contains(Channel.Sms));
        await state.WriteStateAsync();
        if (moved is { } at)
        {
            await WakeAt(at);
        }
    }

    public async Task Withdraw(string caseReference, bool caseIsSettled)
    {
        var s = state.State;
        var after = s with
        {
            Pending = s.Pending.RemoveAll(r => r.CaseReference == caseReference),
            OpenCases = caseIsSettled ? s.OpenCases.Remove(caseReference) : s.OpenCases,
        };
        if (after.Pending.IsEmpty)
        {
            after = after with { DispatchAt = null };
        }

        if (after.Pending.Count == s.Pending.Count && after.OpenCases.Count == s.OpenCases.Count)
        {
            return;
        }

        state.State = after;
        await state.WriteStateAsync();
        if (after.Pending.IsEmpty)
        {
            await StopWaking();
        }
    }

    public Task<DebtorView?> Get()
    {
        var s = state.State;
        if (s.Details is not { } d)
        {
            return Task.FromResult<DebtorView?>(null);
        }

        var points = new List<ContactPointView>();
        foreach (var c in (Channel[])[Channel.Email, Channel.Sms, Channel.Letter])
        {
            if (ContactPlanner.Recipient(d, c) is not { } value)
            {
                continue;
            }

            points.Add(c == Channel.Sms && s.SmsOptOutAt is { } stop
                ? new ContactPointView(c, value, "opted_out", "stop", stop)
                : s.Disabled.TryGetValue(c, out var off) && off.Value == value
                    ? new ContactPointView(c, value, "disabled", off.Reason, off.Since)
                    : new ContactPointView(c, value, "active"));
        }

        return Task.FromResult<DebtorView?>(new DebtorView(
            d.Reference, d.Kind, d.Name, s.OpenCases, points, s.Log, s.DispatchAt, d.Address, s.SmsOptOutAt is not null, s.Changes, d.MessageLanguage));
    }

    public async Task<bool> CorrectDetails(string? email, string? phone, PostalAddress? address)
    {
        var s = state.State;
        if (s.Details is not { } d)
        {
            return false;
        }

        var corrected = d with { Email = email ?? d.Email, Phone = phone ?? d.Phone, Address = address ?? d.Address };
        if (corrected == d)
        {
            return false;
        }

        var changed = new List<string>();
        if (corrected.Email != d.Email) changed.Add("email");
        if (corrected.Phone != d.Phone) changed.Add("phone");
        if (corrected.Address != d.Address) changed.Add("address");
        state.State = s with
        {
            Details = corrected,
            CorrectedFrom = s.CorrectedFrom ?? d,
            SmsOptOutAt = corrected.Phone == d.Phone ? s.SmsOptOutAt : null,
            Changes = s.Changes.Add(new CaseEvent(clock.GetUtcNow(), "details_corrected", string.Join(", ", changed) + " corrected by the debtor")),
        };
        await state.WriteStateAsync();
        return true;
    }

    public async Task RecordDelivery(DeliveryReport report)
    {
        var after = ContactPlanner.Delivery(state.State, report, Options);
        if (ReferenceEquals(after, state.State))
        {
            return;
        }

        state.State = after;
        await state.WriteStateAsync();
        LogFeedback(logger, report.MessageId, report.Channel, report.Outcome);
        EngineMetrics.FeedbackReceived(report.Channel, report.Outcome);
    }

    public async Task<bool> SetSmsOptOut(string phone, bool optedOut)
    {
        var s = state.State;
        if (s.Details?.Phone != phone || (s.SmsOptOutAt is not null) == optedOut)
        {
            return false;
        }

        state.State = s with { SmsOptOutAt = optedOut ? clock.GetUtcNow() : null };
        await state.WriteStateAsync();
        return true;
    }

    /// <summary>
    /// A tick only starts the wait for a dispatch slot and is answered at once. The wait holds no turn of this
    /// grain: while a whole backlog that fell due together queues for the silo's slots, the debtor still answers
    /// reads, new contact requests and withdrawals, and the reminder's later ticks, which find it already waiting.
    /// The dispatch itself runs in a turn of its own, through <see cref="IDebtorGrain.DispatchDue"/>. The reminder,
    /// removed or moved only at the dispatch's end, still covers a silo that dies before it.
    /// </summary>
    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == DispatchReminder && !waitingForSlot)
        {
            waitingForSlot = true;
            _ = DispatchWhenASlotIsFree();
        }

        return Task.CompletedTask;
    }

    private bool waitingForSlot;

    /// <summary>Waits for the silo's limit on concurrent dispatches (<see cref="DispatchSlots"/>), then dispatches in a turn of this grain.</summary>
    private async Task DispatchWhenASlotIsFree()
    {
        try
        {
            await slots.WaitAsync();
            try
            {
                await GrainFactory.Reference<IDebtorGrain>(Key).DispatchDue();
            }
            finally
            {
                slots.Release();
            }
        }
        catch (Exception e)
        {
            // The reminder, still registered, ticks again after its period (a channel's failure is also logged where it happened).
            LogDispatchFailed(logger, e);
        }
        finally
        {
            waitingForSlot = false;
        }
    }

    public async Task DispatchDue()
    {
        var now = clock.GetUtcNow();
        var receipts = new List<(ContactRequest Request, ContactReceipt Receipt)>();
        if (!state.State.InFlight.IsEmpty)
        {
            foreach (var lost in state.State.InFlight)
            {
                LogInDoubt(logger, lost.MessageId, lost.Channel);
                receipts.AddRange(lost.Requests.Select(r => (r, new ContactReceipt(lost.MessageId, r.Stage, lost.Channel, now))));
            }

            state.State = ContactPlanner.Abandoned(state.State, now, Options);
            await state.WriteStateAsync();
        }

        var s = state.State;
        if (s.Pending.IsEmpty || s.Details is null)
        {
            if (s.DispatchAt is not null)
            {
                state.State = s with { DispatchAt = null };
                await state.WriteStateAsync();
            }

            Notify(receipts);
            await StopWaking();
            return;
        }

        if (s.DispatchAt is { } planned && planned > now)
        {
            Notify(receipts);
            await WakeAt(planned);
            return;
        }

        var opening = SendWindow.NextOpening(now, ContactPlanner.AlsaceMoselle(s));
        if (opening > now)
        {
            state.State = s with { DispatchAt = opening };
            await state.WriteStateAsync();
            Notify(receipts);
            await WakeAt(opening);
            return;
        }

        // The current state of every case is checked right before sending: a case paid, held or
        // disputed since it asked is never reminded.
        var candidates = new List<ContactRequest>();
        foreach (var request in s.Pending)
        {
            if (await CaseOf(request).StillWantsContact(request.Stage))
            {
                candidates.Add(request);
            }
        }

        var creditorId = GrainKeys.Split(Key).CreditorId;
        var (creditor, settings) = await GrainFactory.Reference<ICreditorGrain>(creditorId).GetProfileAndSettings();
        var link = links.LinkFor(Key, now);
        var letter = new MessageContext(Key, creditorId, creditor?.Name ?? creditorId, settings, link, now);

        state.State = state.State with { Pending = [], DispatchAt = null };
        var retry = new List<ContactRequest>();
        DateTimeOffset? retryAt = null;
        DateTimeOffset? deferredUntil = null;
        for (var round = 0; round < FallbackRounds && candidates.Count > 0; round++)
        {
            var plan = ContactPlanner.Plan(state.State, candidates, now, Options);
            foreach (var request in plan.Unreachable)
            {
                var stages = request.Kind.IsScheduleStep()
                    ? state.State.LastSentStage.SetItem(request.CaseReference, Math.Max(request.Stage, state.State.LastSentStage.GetValueOrDefault(request.CaseReference, -1)))
                    : state.State.LastSentStage;
                state.State = ContactPlanner.AddLog(state.State with { LastSentStage = stages }, new ContactLogEntry("-", now, request.Channels.Count > 0 ? request.Channels[0] : Channel.Letter, [request.CaseReference], "unreachable", Detail: "no usable contact point"), Options);
            }

            if (plan.DeferredUntil is { } until)
            {
                deferredUntil = deferredUntil is { } d && d <= until ? d : until;
            }

            var messages = plan.Send.Select(p => new InFlightMessage(ContactPlanner.MessageId(Key, p.Channel, p.Requests), p.Channel, p.Recipient, p.Requests)).ToList();

            // Written before the first hand-over: should the silo die before the answers are written, the next
            // tick of the reminder (RetryPeriod later) finds these messages in flight and never sends them again.
            state.State = state.State with { Pending = state.State.Pending.AddRange(plan.Deferred), InFlight = [.. messages], DispatchAt = now + RetryPeriod };
            await state.WriteStateAsync();

            var reached = new HashSet<string>();
            var refused = new List<ContactRequest>();
            foreach (var message in messages)
            {
                SendResult result;
                try
                {
                    result = await Send(message, letter);
                }
                catch (Exception e)
                {
                    // A channel that throws did not say whether the provider got the message. The activation is
                    // dropped so that the next one starts from storage, where every message of this round is
                    // still in flight: they are all logged as in doubt and none is sent twice.
                    LogChannelError(logger, e, message.MessageId, message.Channel);
                    DeactivateOnIdle();
                    throw;
                }

                state.State = ContactPlanner.Record(state.State, message, result, now, Options);
                switch (result.Status)
                {
                    case SendStatus.Sent or SendStatus.InDoubt:
                        reached.UnionWith(message.Requests.Select(r => r.CaseReference));
                        receipts.AddRange(message.Requests.Select(r => (r, new ContactReceipt(message.MessageId, r.Stage, message.Channel, now))));
                        break;
                    case SendStatus.RetryLater:
                        retry.AddRange(message.Requests);
                        var at = now + (result.RetryAfter is { } after && after > TimeSpan.Zero ? after : Options.RetryDelay);
                        retryAt = retryAt is { } r && r <= at ? r : at;
                        break;
                    case SendStatus.Rejected when result.Problem is not null:
                        refused.AddRange(message.Requests);
                        break;
                }
            }

            // A request refused on one channel because of its contact point, and that reached the debtor on no
            // other, is planned again: the refused point is now disabled, so it falls back to another channel.
            candidates = [.. refused.Where(r => !reached.Contains(r.CaseReference)).DistinctBy(r => r.CaseReference)];
        }

        var pending = state.State.Pending;
        foreach (var request in retry.DistinctBy(r => r.CaseReference))
        {
            if (!pending.Exists(p => p.CaseReference == request.CaseReference)
                && (!request.Kind.IsScheduleStep() || state.State.LastSentStage.GetValueOrDefault(request.CaseReference, -1) < request.Stage))
            {
                pending = pending.Add(request);
            }
        }

        var next = new[] { retryAt, deferredUntil }.Where(t => t is not null).Select(t => t!.Value).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        var texted = state.State.Details?.Phone is { } phone && state.State.Log.Exists(e => e.Channel == Channel.Sms && e.Recipient == phone);
        state.State = await IndexPhone(state.State, texted);
        state.State = state.State with
        {
            Pending = pending,
            InFlight = [],
            DispatchAt = pending.IsEmpty ? null : SendWindow.NextOpening(next == DateTimeOffset.MaxValue ? now + Options.RetryDelay : next, ContactPlanner.AlsaceMoselle(state.State)),
        };
        await state.WriteStateAsync();
        Notify(receipts);
        if (state.State.DispatchAt is { } wake)
        {
            await WakeAt(wake);
        }
        else
        {
            await StopWaking();
        }
    }

    private async Task<SendResult> Send(InFlightMessage message, MessageContext context)
    {
        var details = state.State.Details!;
        var today = ParisTime.DateOf(context.Now);
        var cases = message.Requests.Select(r => Charges.For(r, details.Kind, context.Settings, today)).ToList();
        var kind = MessageComposer.KindOf(message.Requests.Select(r => r.Kind));
        var language = details.MessageLanguage;
        var (subject, body) = MessageComposer.Compose(new MessageInput(
            message.MessageId, message.Channel, kind, context.CreditorName, context.Settings.Address, cases, context.Link, language,
            agency.Value, context.Now, details.Kind == DebtorKind.Business ? context.Settings.LateInterestRate : null));
        var outgoing = new OutgoingMessage(
            message.MessageId, context.CreditorId, details.Reference, message.Channel, kind, message.Recipient, subject, body, context.Link, cases, context.Now)
        {
            Language = language,
            Parties = details.Address is { } address
                ? new LetterParties(details.Name, details.Kind, address, context.CreditorName, context.Settings.Address)
                : null,
        };
        var result = await channel.SendAsync(outgoing);
        LogSent(logger, message.MessageId, message.Channel, message.Requests.Count, result.Status, result.Code);
        EngineMetrics.MessageSent(message.Channel, result.Status.ToString().ToLowerInvariant());
        return result;
    }

    private void Notify(IEnumerable<(ContactRequest Request, ContactReceipt Receipt)> receipts)
    {
        foreach (var (request, receipt) in receipts)
        {
            _ = CaseOf(request).ContactMade(receipt);
        }
    }

    /// <summary>
    /// Registers the debtor's phone, once an SMS is planned or sent to it, so that a STOP or START reply from it
    /// finds this debtor; returns the state with the phone registered, which the caller's write keeps. A number that
    /// already has the most debtors allowed refuses: the phone is then disabled for SMS (<c>shared_number</c>), since
    /// a STOP from it could not reach this debtor, and the planner falls back to the other channels. Should the
    /// registration fail, the caller's write still goes ahead and the next dispatch that texts the phone registers it.
    /// </summary>
    private async Task<DebtorState> IndexPhone(DebtorState s, bool smsPlanned)
    {
        var phone = s.Details?.Phone;
        if (phone is null || phone == s.IndexedPhone || !smsPlanned
            || (s.Disabled.TryGetValue(Channel.Sms, out var off) && off.Value == phone))
        {
            return s;
        }

        try
        {
            if (await GrainFactory.Reference<IPhoneNumberGrain>(phone).Add(Key))
            {
                return s with { IndexedPhone = phone };
            }

            LogSharedPhone(logger, Options.MaxDebtorsPerPhone);
            return s with { Disabled = s.Disabled.SetItem(Channel.Sms, new DisabledPoint(phone, ContactPlanner.SharedNumber, clock.GetUtcNow())) };
        }
        catch (Exception e) when (e is OrleansException or TimeoutException or Orleans.Storage.InconsistentStateException)
        {
            LogPhoneNotIndexed(logger, e);
            return s;
        }
    }

    private ICaseGrain CaseOf(ContactRequest request) =>
        GrainFactory.Reference<ICaseGrain>(GrainKeys.Compose(GrainKeys.Split(Key).CreditorId, request.CaseReference));

    private async Task WakeAt(DateTimeOffset at)
    {
        var due = at - clock.GetUtcNow();
        reminder = await this.RegisterOrUpdateReminder(DispatchReminder, due > TimeSpan.Zero ? due : TimeSpan.Zero, RetryPeriod);
    }

    /// <summary>
    /// Removes the dispatch reminder with the handle this activation registered, which spares reading it back from
    /// the table at the end of every dispatch; without one (another activation registered it), or should the
    /// handle be stale, it is read first.
    /// </summary>
    private async Task StopWaking()
    {
        var known = reminder;
        reminder = null;
        if (known is not null)
        {
            try
            {
                await this.UnregisterReminder(known);
                return;
            }
            catch (ReminderException)
            {
                // Moved since by someone else: read what the table holds now.
            }
        }

        if (await this.GetReminder(DispatchReminder) is { } current)
        {
            await this.UnregisterReminder(current);
        }
    }

    private IGrainReminder? reminder;

    private sealed record MessageContext(string DebtorKey, string CreditorId, string CreditorName, CreditorSettings Settings, string Link, DateTimeOffset Now);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} by {Channel} for {CaseCount} case(s): {Status} {Code}")]
    private static partial void LogSent(ILogger logger, string messageId, Channel channel, int caseCount, SendStatus status, string? code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} by {Channel} was handed over without its answer recorded; it is logged as in doubt and not sent again")]
    private static partial void LogInDoubt(ILogger logger, string messageId, Channel channel);

    [LoggerMessage(Level = LogLevel.Error, Message = "Channel failed on message {MessageId} by {Channel}; the dispatch's messages are now in doubt")]
    private static partial void LogChannelError(ILogger logger, Exception exception, string messageId, Channel channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The phone of an SMS planned or sent could not be registered for replies; the next dispatch that texts it registers it")]
    private static partial void LogPhoneNotIndexed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A phone number already registered for {Max} debtors is not texted for one more; its SMS are disabled (shared_number)")]
    private static partial void LogSharedPhone(ILogger logger, int max);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A dispatch ended in an error; the reminder's next tick tries again")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Feedback on message {MessageId} by {Channel}: {Outcome}")]
    private static partial void LogFeedback(ILogger logger, string messageId, Channel channel, DeliveryOutcome outcome);
}
