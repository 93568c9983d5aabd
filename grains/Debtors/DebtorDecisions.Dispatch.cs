using Recouvrement.Calendar;
using Recouvrement.Messaging;

namespace Recouvrement.Debtors;

/// <summary>A contact made for one case, to confirm to that case.</summary>
public sealed record CaseReceipt(string CaseReference, ContactReceipt Receipt);

/// <summary>
/// Where a dispatch round stands between its steps (never persisted: a round lost with its activation leaves its
/// messages in flight, which the next round logs as in doubt). A step sends one message per channel; a request
/// refused on a dead contact point is planned again on another channel in the next step.
/// </summary>
public sealed record DispatchProgress(
    int Round,
    int Step,
    DateTimeOffset Placeholder,
    ImmutableList<CaseReceipt> Receipts,
    ImmutableList<ContactRequest> Retry,
    DateTimeOffset? RetryAt,
    DateTimeOffset? DeferredUntil)
{
    /// <summary>A round picked up by an activation that did not start it: its results are recorded, no further step is planned.</summary>
    public static DispatchProgress Adopted(int round, DateTimeOffset placeholder) =>
        new(round, DebtorDecisions.FallbackSteps, placeholder, [], [], null, null);
}

/// <summary>One step of a round: the state with its messages written as in flight, and those messages.</summary>
public sealed record DispatchStep(DebtorState State, DispatchProgress Progress, IReadOnlyList<InFlightMessage> Messages);

/// <summary>Whether a debtor sends now; if not, when to look again (null: nothing is waiting).</summary>
public sealed record DispatchReadiness(DebtorState State, bool Ready, DateTimeOffset? WakeAt);

public static partial class DebtorDecisions
{
    /// <summary>
    /// How long a round's messages stay in flight at most before the dispatch reminder ticks again: should the silo
    /// die mid-round, the next tick finds them in flight and logs them as in doubt.
    /// </summary>
    public static readonly TimeSpan RetryPeriod = TimeSpan.FromMinutes(30);

    /// <summary>How many steps a round takes at most: the first, then fallbacks to another channel.</summary>
    public const int FallbackSteps = 3;

    /// <summary>
    /// Messages a previous round handed over without recording the answer (the silo died, or the round was lost):
    /// logged as in doubt and confirmed to their cases, never sent again.
    /// </summary>
    public static (DebtorState State, IReadOnlyList<CaseReceipt> Receipts) Recover(DebtorState state, DateTimeOffset now, ContactOptions options)
    {
        if (state.InFlight.IsEmpty)
        {
            return (state, []);
        }

        var receipts = state.InFlight
            .SelectMany(m => m.Requests.Select(r => new CaseReceipt(r.CaseReference, new ContactReceipt(m.MessageId, r.Stage, m.Channel, now))))
            .ToList();
        return (ContactLog.Abandoned(state, now, options), receipts);
    }

    /// <summary>Nothing is sent outside the send window or before the planned time: a debtor not ready only sets its next wake-up.</summary>
    public static DispatchReadiness Readiness(DebtorState state, DateTimeOffset now)
    {
        if (state.Pending.IsEmpty || state.Details is null)
        {
            return new(state.DispatchAt is null ? state : state with { DispatchAt = null }, false, null);
        }

        if (state.DispatchAt is { } planned && planned > now)
        {
            return new(state, false, planned);
        }

        var opening = SendWindow.NextOpening(now, ContactPlanner.AlsaceMoselle(state));
        return opening > now ? new(state with { DispatchAt = opening }, false, opening) : new(state, true, null);
    }

    /// <summary>
    /// Starts a round with the requests whose cases still want their contact (the others are dropped): plans the
    /// first step and writes its messages as in flight, the dispatch time held <see cref="RetryPeriod"/> ahead.
    /// </summary>
    public static DispatchStep Begin(DebtorState state, IReadOnlyList<ContactRequest> wanted, int round, DateTimeOffset now, ContactOptions options, string debtorKey)
    {
        var progress = new DispatchProgress(round, 0, now + RetryPeriod, [], [], null, null);
        return Plan(state with { Pending = [], DispatchAt = null }, wanted, progress, now, options, debtorKey);
    }

    /// <summary>
    /// Records what became of a step's messages (those no longer in flight are ignored). A request refused on one
    /// channel because of its contact point, and that reached the debtor on no other, is planned again in the next
    /// step: the refused point is now disabled, so it falls back to another channel. No messages: the round is over.
    /// </summary>
    public static DispatchStep Record(
        DebtorState state, DispatchProgress progress, IReadOnlyList<SentMessage> sent, DateTimeOffset now, ContactOptions options, string debtorKey)
    {
        var reached = new HashSet<string>(StringComparer.Ordinal);
        var refused = new List<ContactRequest>();
        var receipts = progress.Receipts;
        var retry = progress.Retry;
        var retryAt = progress.RetryAt;
        foreach (var outcome in sent)
        {
            if (state.InFlight.Find(m => m.MessageId == outcome.MessageId) is not { } message)
            {
                continue;
            }

            var result = outcome.Result;
            state = ContactLog.Record(state, message, result, now, options);
            switch (result.Status)
            {
                case SendStatus.Sent or SendStatus.InDoubt:
                    reached.UnionWith(message.Requests.Select(r => r.CaseReference));
                    receipts = receipts.AddRange(message.Requests.Select(r => new CaseReceipt(r.CaseReference, new ContactReceipt(message.MessageId, r.Stage, message.Channel, now))));
                    break;
                case SendStatus.RetryLater:
                    retry = retry.AddRange(message.Requests);
                    var at = now + (result.RetryAfter is { } after && after > TimeSpan.Zero ? after : options.RetryDelay);
                    retryAt = retryAt is { } r && r <= at ? r : at;
                    break;
                case SendStatus.Rejected when result.Problem is not null:
                    refused.AddRange(message.Requests);
                    break;
            }
        }

        progress = progress with { Receipts = receipts, Retry = retry, RetryAt = retryAt };
        var fallback = refused.Where(r => !reached.Contains(r.CaseReference)).DistinctBy(r => r.CaseReference).ToList();
        return fallback.Count > 0 && progress.Step + 1 < FallbackSteps
            ? Plan(state, fallback, progress with { Step = progress.Step + 1 }, now, options, debtorKey)
            : new DispatchStep(state, progress, []);
    }

    /// <summary>
    /// Ends a round: requests to retry go back in the queue (unless their step was sent meanwhile), and the next
    /// dispatch is the earliest of a retry, a request held back by a cap or the gap, and a request queued during the
    /// round, moved into a send window; none when nothing waits.
    /// </summary>
    public static DebtorState Finish(DebtorState state, DispatchProgress progress, DateTimeOffset now, ContactOptions options)
    {
        var pending = state.Pending;
        foreach (var request in progress.Retry.DistinctBy(r => r.CaseReference))
        {
            if (!pending.Exists(p => p.CaseReference == request.CaseReference) && !ContactLog.AlreadySent(state, request))
            {
                pending = pending.Add(request);
            }
        }

        if (pending.IsEmpty)
        {
            return state with { Pending = pending, InFlight = [], DispatchAt = null };
        }

        var later = Earliest(progress.RetryAt, progress.DeferredUntil) ?? now + options.RetryDelay;
        var next = SendWindow.NextOpening(later, ContactPlanner.AlsaceMoselle(state));
        if (state.DispatchAt is { } queued && queued < progress.Placeholder && queued < next)
        {
            next = queued;
        }

        return state with { Pending = pending, InFlight = [], DispatchAt = next };
    }

    /// <summary>Plans one step: unreachable requests are logged, those held by a cap or the gap wait, the rest go in flight.</summary>
    private static DispatchStep Plan(
        DebtorState state, IReadOnlyList<ContactRequest> candidates, DispatchProgress progress, DateTimeOffset now, ContactOptions options, string debtorKey)
    {
        var plan = ContactPlanner.Plan(state, candidates, now, options);
        foreach (var request in plan.Unreachable)
        {
            state = ContactLog.AddLog(ContactLog.StageSent(state, request),
                new ContactLogEntry("-", now, request.Channels.Count > 0 ? request.Channels[0] : Channel.Letter, [request.CaseReference], ContactStatus.Unreachable, detail: "no usable contact point"),
                options);
        }

        var messages = plan.Send.Select(p => new InFlightMessage(ContactPlanner.MessageId(debtorKey, p.Channel, p.Requests), p.Channel, p.Recipient, p.Requests)).ToList();
        state = state with { Pending = state.Pending.AddRange(plan.Deferred), InFlight = [.. messages], DispatchAt = progress.Placeholder };
        return new DispatchStep(state, progress with { DeferredUntil = Earliest(progress.DeferredUntil, plan.DeferredUntil) }, messages);
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;
}
