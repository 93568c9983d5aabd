using Recouvrement.Calendar;

namespace Recouvrement.Debtors;

/// <summary>
/// A debtor's rules as pure functions of its state: which cases it holds, what they asked to send, the details the
/// debtor corrected, opt-outs and the health of its contact points, and the dispatch round
/// (<see cref="DebtorDecisions.Begin"/>, <see cref="DebtorDecisions.Record"/>, <see cref="DebtorDecisions.Finish"/>).
/// Nothing here touches Orleans, a clock or a provider: <see cref="DebtorGrain"/> loads, decides, persists once, acts.
/// </summary>
public static partial class DebtorDecisions
{
    /// <summary>
    /// This debtor with one more open case and the details the creditor fed with it. A value the debtor corrected
    /// is kept while the creditor keeps sending the old one; an SMS opt-out holds only for the same number.
    /// Returns the same instance when nothing changes. A debtor without a case yet takes <paramref name="variant"/> as its
    /// policy variant; one that has had a case keeps its own.
    /// </summary>
    public static DebtorState Attach(DebtorState state, string caseReference, DebtorDetails details, string? variant = null)
    {
        if (state is { CorrectedFrom: { } old, Details: { } current })
        {
            details = details with
            {
                Email = details.Email == old.Email ? current.Email : details.Email,
                Phone = details.Phone == old.Phone ? current.Phone : details.Phone,
                Address = details.Address == old.Address ? current.Address : details.Address,
            };
        }

        if (state.Details == details && state.OpenCases.Contains(caseReference))
        {
            return state;
        }

        return state with
        {
            Variant = state.Details is null && state.OpenCases.IsEmpty && state.SettledCases.IsEmpty ? variant : state.Variant,
            Details = details,
            OpenCases = state.OpenCases.Contains(caseReference) ? state.OpenCases : state.OpenCases.Add(caseReference),
            SmsOptOutAt = SamePhone(state.Details?.Phone, details.Phone) ? state.SmsOptOutAt : null,
            ForgetAt = null,
        };
    }

    /// <summary>
    /// Queues a case's request. The dispatch waits for the next send window, and inside an open window for a
    /// short consolidation delay, so that every case due together leaves in one message. Returns the new
    /// dispatch time when it moved.
    /// </summary>
    public static (DebtorState State, DateTimeOffset? MovedDispatchTo) Queue(
        DebtorState state, ContactRequest request, DateTimeOffset now, ContactOptions options)
    {
        if (ContactLog.AlreadySent(state, request))
        {
            return (state, null);
        }

        // A newer step replaces an older one; a one-off message (a dispute answer, an instalment notice) replaces
        // whatever was queued, since the case's status changed to ask for it.
        var queued = state.Pending.Find(r => r.CaseReference == request.CaseReference);
        if (queued is not null && (queued == request || (queued.Kind.IsScheduleStep() && request.Kind.IsScheduleStep() && queued.Stage > request.Stage)))
        {
            return (state, null);
        }

        var pending = state.Pending.RemoveAll(r => r.CaseReference == request.CaseReference).Add(request);
        var candidate = SendWindow.NextOpening(now + options.ConsolidationDelay, ContactPlanner.AlsaceMoselle(state));
        var dispatchAt = state.DispatchAt is { } existing && existing <= candidate ? existing : candidate;
        return (state with { Pending = pending, DispatchAt = dispatchAt }, dispatchAt == state.DispatchAt ? null : dispatchAt);
    }

    /// <summary>
    /// Drops a case's queued contact and, when the case is settled, moves it to the settled cases; once none is open,
    /// the debtor's personal data is due for erasure after the retention period. The same instance when nothing changes.
    /// </summary>
    public static DebtorState Withdraw(DebtorState state, string caseReference, bool caseIsSettled, DateTimeOffset now, RetentionOptions retention)
    {
        var settle = caseIsSettled && state.OpenCases.Contains(caseReference);
        var after = state with
        {
            Pending = state.Pending.RemoveAll(r => r.CaseReference == caseReference),
            OpenCases = settle ? state.OpenCases.Remove(caseReference) : state.OpenCases,
            SettledCases = settle && !state.SettledCases.Contains(caseReference) ? state.SettledCases.Add(caseReference) : state.SettledCases,
        };
        if (settle && after.OpenCases.IsEmpty)
        {
            after = after with { ForgetAt = now + retention.ClosedCaseRetention };
        }

        if (after.Pending.IsEmpty && after.InFlight.IsEmpty)
        {
            // A round in flight keeps its wake-up: should the silo die, the next tick finds its messages in doubt.
            after = after with { DispatchAt = null };
        }

        return after.Pending.Count == state.Pending.Count && after.OpenCases.Count == state.OpenCases.Count ? state : after;
    }

    /// <summary>
    /// The debtor corrects their own details (a null field is left as it is). The change is kept in the debtor's
    /// history for the creditor (CPCE R124-5), at most <see cref="MaxChanges"/> entries; a correction to the same
    /// phone number keeps its SMS opt-out. Returns the same instance when nothing changes.
    /// </summary>
    public static DebtorState Correct(DebtorState state, string? email, string? phone, PostalAddress? address, DateTimeOffset now)
    {
        if (state.Details is not { } d)
        {
            return state;
        }

        var corrected = d with { Email = email ?? d.Email, Phone = phone ?? d.Phone, Address = address ?? d.Address };
        if (corrected == d)
        {
            return state;
        }

        var changed = new List<string>();
        if (corrected.Email != d.Email) changed.Add("email");
        if (corrected.Phone != d.Phone) changed.Add("phone");
        if (corrected.Address != d.Address) changed.Add("address");
        var changes = state.Changes.Add(new CaseEvent(now, "details_corrected", string.Join(", ", changed) + " corrected by the debtor"));
        return state with
        {
            Details = corrected,
            CorrectedFrom = state.CorrectedFrom ?? d,
            SmsOptOutAt = SamePhone(corrected.Phone, d.Phone) ? state.SmsOptOutAt : null,
            Changes = changes.Count > MaxChanges ? changes.RemoveRange(0, changes.Count - MaxChanges) : changes,
        };
    }

    /// <summary>Whether two phone numbers are the same line, however written: a STOP holds for the line, not for its spelling.</summary>
    public static bool SamePhone(string? a, string? b) =>
        a == b || (a is not null && b is not null && PhoneNumberFormat.ToE164(a) is { } e164 && e164 == PhoneNumberFormat.ToE164(b));

    /// <summary>How many of the debtor's own corrections the state keeps: a link holder cannot grow it without bound.</summary>
    public const int MaxChanges = 50;

    /// <summary>The debtor replied STOP or START from <paramref name="phone"/>; the same instance when it is not their number or nothing changes.</summary>
    public static DebtorState OptOut(DebtorState state, string phone, bool optedOut, DateTimeOffset now) =>
        state.Details?.Phone != phone || (state.SmsOptOutAt is not null) == optedOut
            ? state
            : state with { SmsOptOutAt = optedOut ? now : null };

    /// <summary>A provider's later feedback on a logged message: its status, and the contact point's health.</summary>
    public static DebtorState Delivery(DebtorState state, DeliveryReport report, ContactOptions options) =>
        ContactLog.Delivery(state, report, options);

    /// <summary>
    /// An erasure starts: nothing more is sent (queued contacts dropped; a round in flight keeps its wake-up), and every
    /// case the debtor held, open or settled, is named for erasure. Null for a debtor that never existed.
    /// </summary>
    public static (DebtorState State, IReadOnlyList<string>? Cases) BeginErasure(DebtorState state)
    {
        if (state.Details is null)
        {
            return (state, null);
        }

        var cases = state.OpenCases.Concat(state.SettledCases).Distinct(StringComparer.Ordinal).ToList();
        return (state with { Pending = [], DispatchAt = state.InFlight.IsEmpty ? null : state.DispatchAt, ForgetAt = null }, cases);
    }

    /// <summary>
    /// The debtor's personal data is erased: identity, contact points (and their refusals), the recipients in its
    /// contact log, its corrections. What is kept: its reference, its cases' references, the dates and outcomes of
    /// its messages, and the erasure itself. A repeated erasure keeps the first record.
    /// </summary>
    public static DebtorState CompleteErasure(DebtorState state, string by, int cases, DateTimeOffset now)
    {
        var erased = state with
        {
            Details = state.Details?.Erased(),
            CorrectedFrom = null,
            Changes = [],
            Disabled = ImmutableDictionary<Channel, DisabledPoint>.Empty,
            SmsOptOutAt = null,
            IndexedPhone = null,
            Pending = [],
            Log = [.. state.Log.Select(e => e with { Recipient = null })],
            SettledCases = state.OpenCases.Concat(state.SettledCases).Distinct(StringComparer.Ordinal).ToImmutableList(),
            OpenCases = [],
            ForgetAt = null,
        };
        return erased with { Erasure = state.Erasure is { } first && state.Details == erased.Details ? first : new Erasure(now, by, cases) };
    }

    /// <summary>
    /// The variant a new case of this debtor follows: the debtor's own once it has had a case (null when the policy had
    /// no variants then), otherwise <paramref name="proposed"/>, which its first case's attachment records.
    /// </summary>
    public static string? VariantFor(DebtorState state, string? proposed) =>
        state.Details is null && state.OpenCases.IsEmpty && state.SettledCases.IsEmpty ? proposed : state.Variant;

    /// <summary>The debtor as the creditor sees it, or null before any case attached.</summary>
    public static DebtorView? View(DebtorState state)
    {
        if (state.Details is not { } d)
        {
            return null;
        }

        var points = new List<ContactPointView>();
        foreach (var c in (Channel[])[Channel.Email, Channel.Sms, Channel.Letter])
        {
            if (ContactPlanner.Recipient(d, c) is not { } value)
            {
                continue;
            }

            points.Add(c == Channel.Sms && state.SmsOptOutAt is { } stop
                ? new ContactPointView(c, value, "opted_out", "stop", stop)
                : state.Disabled.TryGetValue(c, out var off) && off.Value == value
                    ? new ContactPointView(c, value, "disabled", off.Reason, off.Since)
                    : new ContactPointView(c, value, "active"));
        }

        return new DebtorView(
            d.Reference, d.Kind, d.Name, state.OpenCases, points, state.Log, state.DispatchAt, d.Address, state.SmsOptOutAt is not null, state.Changes,
            d.MessageLanguage, state.Erasure, state.Variant);
    }
}
