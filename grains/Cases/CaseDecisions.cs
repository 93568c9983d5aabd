using System.Globalization;

namespace Recouvrement.Cases;

/// <summary>
/// The case lifecycle as a pure function: <c>(state, command, now, policy) -> (state, effects)</c>.
/// Nothing here touches Orleans, a clock or a database, so every transition is tested on its own. The creditor's actions
/// live here; the schedule, payments, disputes, plans, prescription and erasure each in a file of their own.
/// </summary>
public static partial class CaseDecisions
{
    /// <summary>
    /// Whether deciding <paramref name="command"/> reads the creditor's policy. A payment, a hold, a cancellation and
    /// a contact's confirmation do not, and their callers need not fetch it: every due case confirms a contact.
    /// </summary>
    public static bool NeedsPolicy(CaseCommand command) => command is not (ReceivePayment or PutOnHold or CancelCase or ConfirmContact or EraseCase or ChooseRoute or HandOver or ConcludeLitigation);

    /// <param name="policy">The creditor's policy; may be null only for a command that <see cref="NeedsPolicy"/> says does not read it.</param>
    public static CaseDecision Decide(CaseState state, CaseCommand command, DateTimeOffset now, DunningPolicy? policy)
    {
        if (policy is null && NeedsPolicy(command))
        {
            throw new ArgumentNullException(nameof(policy), $"deciding {command.GetType().Name} needs the creditor's policy");
        }

        // A case follows its variant's schedule (its debtor's, fixed at its creation), or the policy's own.
        return DecideWith(state, command, now, policy?.ScheduleOf(command is OpenCase open ? open.Variant : state.Variant)!);
    }

    private static CaseDecision DecideWith(CaseState state, CaseCommand command, DateTimeOffset now, DunningPolicy policy)
    {
        if (command is OpenCase open)
        {
            return Open(state, open, now, policy);
        }

        if (!state.Exists)
        {
            // A wake-up set for a creation whose write then failed finds no case: it stops.
            return Unchanged(state, CaseActionOutcome.NotFound, "no case has this reference",
                command is WakeUp ? [new StopWaking()] : default);
        }

        return command switch
        {
            WakeUp wake => Wake(state, now, policy, wake.Terms ?? LitigationTerms.Default),
            ReceivePayment pay => Pay(state, pay.Payment, now),
            PutOnHold => Hold(state, now),
            ResumeSchedule => Resume(state, now, policy),
            CancelCase cancel => Cancel(state, cancel.Reason, now),
            ConfirmContact confirm => Confirm(state, confirm.Receipt),
            OpenDispute dispute => Contest(state, dispute, now, policy),
            SettleDispute settle => Settle(state, settle, now, policy),
            AskForPlan ask => ProposePlan(state, ask, now, policy),
            AnswerPlan answer => AnswerProposal(state, answer, now, policy),
            EraseCase erase => Erase(state, erase.By, now),
            ChooseRoute choose => Choose(state, choose.Route, now),
            HandOver => HandOverCase(state, now),
            ConcludeLitigation conclude => Conclude(state, conclude, now),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "unknown case command"),
        };
    }

    private static CaseDecision Open(CaseState state, OpenCase open, DateTimeOffset now, DunningPolicy policy)
    {
        var draft = open.Draft;
        if (state.Draft is not null)
        {
            return state.Draft == draft
                ? Unchanged(state, CaseActionOutcome.AlreadyApplied)
                : Unchanged(state, CaseActionOutcome.Refused, "a case with this reference exists with different content");
        }

        var opened = new CaseState { Draft = draft, Status = CaseStatus.Active, CreatedAt = now, Variant = open.Variant }
            .Record(now, "created", Money(draft.Amount, draft.Currency));
        opened = Scheduled(opened, policy, StepTime(opened, policy, 0));
        return Applied(opened, new AttachToDebtor(draft.Debtor, open.Variant), Arm(opened, opened.NextStepAt));
    }

    private static CaseDecision Hold(CaseState state, DateTimeOffset now)
    {
        if (state.Status == CaseStatus.OnHold)
        {
            return Unchanged(state, CaseActionOutcome.AlreadyApplied);
        }

        if (!state.Status.AcceptsReminders())
        {
            return Unchanged(state, CaseActionOutcome.Refused, $"a {Wire(state.Status)} case cannot be put on hold");
        }

        var after = (state with { Status = CaseStatus.OnHold, StatusBeforeHold = state.Status, HeldAt = now }).Record(now, "on_hold");
        return Applied(after, Arm(after, null), new WithdrawFromDebtor(Settled: false));
    }

    private static CaseDecision Resume(CaseState state, DateTimeOffset now, DunningPolicy policy)
    {
        if (state.Status != CaseStatus.OnHold)
        {
            return state.Status.AcceptsReminders()
                ? Unchanged(state, CaseActionOutcome.AlreadyApplied)
                : Unchanged(state, CaseActionOutcome.Refused, $"a {Wire(state.Status)} case is not on hold");
        }

        // The schedule is paused, not skipped: the next step keeps the time it had left when the hold began.
        var after = ResumeFromPause(state, now, policy).Record(now, "resumed");
        var effects = ImmutableArray.CreateBuilder<CaseEffect>();
        if (after.PendingContact is { } pending)
        {
            // The contact withdrawn by the hold never went out: ask for it again.
            var again = pending with { Balance = after.Balance, RequestedAt = now };
            after = after with { PendingContact = again };
            effects.Add(new AskDebtorToContact(again));
        }

        effects.Add(Arm(after, after.NextStepAt));
        return new CaseDecision(after, effects.ToImmutable(), CaseActionOutcome.Applied);
    }

    private static CaseDecision Cancel(CaseState state, string reason, DateTimeOffset now)
    {
        if (state.Status == CaseStatus.Closed)
        {
            return Unchanged(state, CaseActionOutcome.AlreadyApplied);
        }

        if (state.Status == CaseStatus.Paid)
        {
            return Unchanged(state, CaseActionOutcome.Refused, "a paid case cannot be cancelled");
        }

        var after = (state with
        {
            Status = CaseStatus.Closed,
            ClosedReason = "cancelled",
            NextStepAt = null,
            NextAction = null,
            PendingContact = null,
            StatusBeforeHold = null,
            Plan = null,
            Proposal = null,
        }).Record(now, "cancelled", reason);
        return Applied(after, new StopWaking(), new WithdrawFromDebtor(Settled: true));
    }

    private static CaseDecision Confirm(CaseState state, ContactReceipt receipt)
    {
        if (state.History.Exists(e => e.Kind == "contacted" && e.Detail != null && e.Detail.Contains(receipt.MessageId, StringComparison.Ordinal)))
        {
            return Unchanged(state, CaseActionOutcome.AlreadyApplied);
        }

        var after = state.Record(receipt.SentAt, "contacted",
            $"stage {receipt.Stage + 1} by {receipt.Channel.ToString().ToLowerInvariant()}, message {receipt.MessageId}");
        if (after.FirstContactAt is null)
        {
            after = after with { FirstContactAt = receipt.SentAt, FirstContactMessageId = receipt.MessageId };
        }

        if (after.PendingContact?.Stage == receipt.Stage)
        {
            after = after with { PendingContact = null };
        }

        return Applied(after);
    }

    private static CaseState Scheduled(CaseState state, DunningPolicy policy, DateTimeOffset? at) => state with
    {
        NextStepAt = at,
        NextAction = at is null || state.Stage >= policy.Steps.Count ? null : Wire(policy.Steps[state.Stage].Action),
    };

    public static string Wire(StepAction action) => action switch
    {
        StepAction.FormalNotice => "formal_notice",
        StepAction.FinalDecision => "final_decision",
        _ => "reminder",
    };

    /// <summary>Wakes the case for its next step, or sooner when its prescription guard comes first; stops only a case with neither.</summary>
    private static CaseEffect Arm(CaseState state, DateTimeOffset? next)
    {
        var guard = PrescriptionGuard(state);
        var at = next is null ? guard : guard is null ? next : next < guard ? next : guard;
        return at is { } when ? new WakeAt(when) : new StopWaking();
    }

    private static CaseDecision Applied(CaseState state, params CaseEffect[] effects) =>
        new(state, [.. effects], CaseActionOutcome.Applied);

    private static CaseDecision Unchanged(
        CaseState state, CaseActionOutcome outcome, string? reason = null, ImmutableArray<CaseEffect> effects = default) =>
        new(state, effects.IsDefault ? [] : effects, outcome, reason);

    private static string Money(decimal amount, string currency) =>
        string.Create(CultureInfo.InvariantCulture, $"{amount:0.00} {currency}");

    /// <summary>The status as the API spells it.</summary>
    public static string Wire(CaseStatus status) => CaseStatuses.Wire(status);

    /// <summary>Back to the status before the pause; the next step keeps the time it had left when the pause began.</summary>
    private static CaseState ResumeFromPause(CaseState state, DateTimeOffset now, DunningPolicy policy)
    {
        var paused = state.HeldAt is { } since && now > since ? now - since : TimeSpan.Zero;
        var after = state with { Status = state.StatusBeforeHold ?? CaseStatus.Active, StatusBeforeHold = null, HeldAt = null, Plan = null };
        var next = after.NextStepAt + paused ?? StepTime(after, policy, after.Stage);
        if (next is { } at && at < now)
        {
            next = now;
        }

        return Scheduled(after, policy, next);
    }

    private static ContactRequest Request(CaseState state, int stage, ContactKind kind, IReadOnlyList<Channel> channels, DateTimeOffset now) =>
        new(state.Draft!.Reference, stage, kind, channels, state.Balance, state.Draft.Currency, state.Draft.IssuedOn, state.Draft.Label, now,
            state.Draft.DueOn, state.Draft.Amount, state.Paid, state.FirstContactAt, state.FirstContactMessageId);
}
