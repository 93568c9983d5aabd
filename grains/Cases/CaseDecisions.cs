using System.Globalization;
using Recouvrement.Calendar;

namespace Recouvrement.Cases;

/// <summary>
/// The case lifecycle as a pure function: <c>(state, command, now, policy) -> (state, effects)</c>.
/// Nothing here touches Orleans, a clock or a database, so every transition is tested on its own.
/// </summary>
public static partial class CaseDecisions
{
    /// <summary>
    /// Whether deciding <paramref name="command"/> reads the creditor's policy. A payment, a hold, a cancellation and
    /// a contact's confirmation do not, and their callers need not fetch it: every due case confirms a contact.
    /// </summary>
    public static bool NeedsPolicy(CaseCommand command) => command is not (ReceivePayment or PutOnHold or CancelCase or ConfirmContact or EraseCase);

    /// <param name="policy">The creditor's policy; may be null only for a command that <see cref="NeedsPolicy"/> says does not read it.</param>
    public static CaseDecision Decide(CaseState state, CaseCommand command, DateTimeOffset now, DunningPolicy? policy)
    {
        if (policy is null && NeedsPolicy(command))
        {
            throw new ArgumentNullException(nameof(policy), $"deciding {command.GetType().Name} needs the creditor's policy");
        }

        return DecideWith(state, command, now, policy!);
    }

    private static CaseDecision DecideWith(CaseState state, CaseCommand command, DateTimeOffset now, DunningPolicy policy)
    {
        if (command is OpenCase open)
        {
            return Open(state, open.Draft, now, policy);
        }

        if (!state.Exists)
        {
            // A wake-up set for a creation whose write then failed finds no case: it stops.
            return Unchanged(state, CaseActionOutcome.NotFound, "no case has this reference",
                command is WakeUp ? [new StopWaking()] : default);
        }

        return command switch
        {
            WakeUp => Wake(state, now, policy),
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
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "unknown case command"),
        };
    }

    /// <summary>When the schedule's step <paramref name="stage"/> falls due, or null when the schedule is over.</summary>
    /// <remarks>
    /// A step runs on its calendar day (due date + n, from midnight Paris time) but never sooner after the
    /// previous step than the policy's gap between them: a case fed late starts at step one and keeps its pace
    /// instead of receiving every overdue step at once.
    /// </remarks>
    public static DateTimeOffset? StepTime(CaseState state, DunningPolicy policy, int stage)
    {
        if (state.Draft is null || stage >= policy.Steps.Count)
        {
            return null;
        }

        var step = policy.Steps[stage];
        var onCalendar = ParisTime.StartOfDay(state.Draft.DueOn.AddDays(step.DayAfterDue));
        var earliest = stage == 0 || state.LastStepAt is null
            ? state.CreatedAt
            : state.LastStepAt.Value.AddDays(Math.Max(0, step.DayAfterDue - policy.Steps[stage - 1].DayAfterDue));
        return onCalendar > earliest ? onCalendar : earliest;
    }

    private static CaseDecision Open(CaseState state, CaseDraft draft, DateTimeOffset now, DunningPolicy policy)
    {
        if (state.Draft is not null)
        {
            return state.Draft == draft
                ? Unchanged(state, CaseActionOutcome.AlreadyApplied)
                : Unchanged(state, CaseActionOutcome.Refused, "a case with this reference exists with different content");
        }

        var opened = new CaseState { Draft = draft, Status = CaseStatus.Active, CreatedAt = now }
            .Record(now, "created", Money(draft.Amount, draft.Currency));
        opened = Scheduled(opened, policy, StepTime(opened, policy, 0));
        return Applied(opened, new AttachToDebtor(draft.Debtor), Arm(opened, opened.NextStepAt));
    }

    private static CaseDecision Wake(CaseState state, DateTimeOffset now, DunningPolicy policy)
    {
        if (PrescriptionGuard(state) is { } guard && now >= guard)
        {
            return Prescribe(state, now, policy);
        }

        if (state.Status == CaseStatus.PaymentPlan)
        {
            return PlanStep(state, now, policy);
        }

        if (!state.Status.AcceptsReminders() || state.NextStepAt is null)
        {
            return Unchanged(state, CaseActionOutcome.AlreadyApplied, effects: [Arm(state, null)]);
        }

        if (now < state.NextStepAt.Value)
        {
            // An early or repeated tick. If the last contact never reached the debtor, ask again (the debtor
            // ignores a stage it already sent), then re-arm for the real due time.
            var effects = state.PendingContact is { } pending
                ? ImmutableArray.Create<CaseEffect>(new AskDebtorToContact(pending), Arm(state, state.NextStepAt))
                : [Arm(state, state.NextStepAt)];
            return Unchanged(state, CaseActionOutcome.AlreadyApplied, effects: effects);
        }

        if (state.Stage >= policy.Steps.Count)
        {
            return Applied(Scheduled(state, policy, null), new StopWaking());
        }

        var step = policy.Steps[state.Stage];
        var stage = state.Stage;
        var after = state with { Stage = stage + 1, LastStepAt = now };
        var effects2 = ImmutableArray.CreateBuilder<CaseEffect>();
        switch (step.Action)
        {
            case StepAction.Reminder:
            case StepAction.FormalNotice:
                var kind = step.Action == StepAction.FormalNotice ? ContactKind.FormalNotice : ContactKind.Reminder;
                if (kind == ContactKind.FormalNotice)
                {
                    after = after with { Status = CaseStatus.FormalNotice };
                }

                if (step.Channels.Count > 0)
                {
                    // A dispute answer not sent yet travels with the step that replaces it, so the debtor still reads why.
                    var request = new ContactRequest(
                        after.Draft!.Reference, stage, kind, step.Channels, after.Balance, after.Draft.Currency,
                        after.Draft.IssuedOn, after.Draft.Label, now, after.Draft.DueOn, after.Draft.Amount, after.Paid,
                        after.FirstContactAt, after.FirstContactMessageId,
                        Note: state.PendingContact is { Kind: ContactKind.DisputeAnswer } answer ? answer.Note : null);
                    after = after with { PendingContact = request };
                    effects2.Add(new AskDebtorToContact(request));
                }

                after = after.Record(now, kind == ContactKind.FormalNotice ? "formal_notice_due" : "reminder_due",
                    $"stage {stage + 1}: {string.Join('+', step.Channels).ToLowerInvariant()}");
                break;
            case StepAction.FinalDecision:
                after = after.Balance >= policy.EscalationThreshold
                    ? after with { Status = CaseStatus.Escalated }
                    : after with { Status = CaseStatus.Closed, ClosedReason = "uneconomic" };
                after = after.Record(now, after.Status == CaseStatus.Escalated ? "escalated" : "closed",
                    after.Status == CaseStatus.Escalated
                        ? $"balance {Money(after.Balance, after.Draft!.Currency)} is worth litigation"
                        : $"balance {Money(after.Balance, after.Draft!.Currency)} is below the escalation threshold");
                effects2.Add(new WithdrawFromDebtor(Settled: after.Status == CaseStatus.Closed));
                break;
        }

        after = Scheduled(after, policy, after.Status.AcceptsReminders() ? StepTime(after, policy, after.Stage) : null);
        effects2.Add(Arm(after, after.NextStepAt));
        return new CaseDecision(after, effects2.ToImmutable(), CaseActionOutcome.Applied);
    }

    private static CaseDecision Pay(CaseState state, PaymentReceipt payment, DateTimeOffset now)
    {
        if (payment.Amount <= 0m)
        {
            return Unchanged(state, CaseActionOutcome.Refused, "a payment amount must be positive");
        }

        if (!string.Equals(payment.Currency, state.Draft!.Currency, StringComparison.Ordinal))
        {
            return Unchanged(state, CaseActionOutcome.Refused, $"the case is in {state.Draft.Currency}, not {payment.Currency}");
        }

        var earlier = state.Payments.Find(p => p.PaymentReference == payment.PaymentReference);
        if (earlier is not null)
        {
            return earlier == payment
                ? Unchanged(state, CaseActionOutcome.AlreadyApplied)
                : Unchanged(state, CaseActionOutcome.Refused, "this payment reference was already recorded with other details");
        }

        // Money received is always recorded, whatever the status: a payment is never lost.
        var balanceBefore = state.Balance;
        var after = state with { Paid = state.Paid + payment.Amount, Payments = state.Payments.Add(payment), AcknowledgedAt = now };
        after = after.Record(now, "payment_received",
            $"{Money(payment.Amount, payment.Currency)} by {payment.Method}, ref {payment.PaymentReference}; balance {Money(after.Balance, payment.Currency)}");
        if (payment.Amount > balanceBefore)
        {
            after = after.Record(now, "overpayment", Money(payment.Amount - balanceBefore, payment.Currency));
        }

        if (after.Balance > 0m || state.Status.IsFinal())
        {
            return Applied(after);
        }

        after = (after with { Status = CaseStatus.Paid, NextStepAt = null, NextAction = null, PendingContact = null, StatusBeforeHold = null, Plan = null, Proposal = null })
            .Record(now, "paid");
        return Applied(after, new StopWaking(), new WithdrawFromDebtor(Settled: true));
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
}
