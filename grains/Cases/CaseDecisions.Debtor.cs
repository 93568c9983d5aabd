using Recouvrement.Calendar;

namespace Recouvrement.Cases;

/// <summary>The debtor's side of the lifecycle: disputes, payment plans, and the prescription clock.</summary>
public static partial class CaseDecisions
{
    /// <summary>How many days before the claim prescribes the engine escalates or closes it.</summary>
    public const int PrescriptionMarginDays = 60;

    /// <summary>Days after an instalment's due date before it counts as missed (a bank transfer takes a few days).</summary>
    public const int InstalmentGraceDays = 5;

    /// <summary>Days before an instalment's due date its reminder is asked for.</summary>
    public const int InstalmentNoticeDays = 3;

    /// <summary>
    /// The day the claim prescribes: two years for a consumer (Code de la consommation L218-2), five otherwise
    /// (Code civil 2224), from the due date or the last acknowledgement of the debt (a payment, an agreed plan).
    /// </summary>
    public static DateOnly PrescriptionOn(CaseState state)
    {
        var from = state.AcknowledgedAt is { } at ? ParisTime.DateOf(at) : state.Draft!.DueOn;
        return Prescription.On(from, state.Draft!.Debtor.Kind);
    }

    /// <summary>When an open case must be escalated or closed at the latest, or null when nothing runs any more.</summary>
    public static DateTimeOffset? PrescriptionGuard(CaseState state) =>
        state.Draft is null || state.Status.IsFinal() || state.Status == CaseStatus.Escalated
            ? null
            : ParisTime.StartOfDay(PrescriptionOn(state).AddDays(-PrescriptionMarginDays));

    private static CaseDecision Prescribe(CaseState state, DateTimeOffset now, DunningPolicy policy)
    {
        var worth = state.Balance >= policy.EscalationThreshold;
        var after = (worth
                ? state with { Status = CaseStatus.Escalated }
                : state with { Status = CaseStatus.Closed, ClosedReason = "prescription" })
            with
            { NextStepAt = null, NextAction = null, PendingContact = null, StatusBeforeHold = null, HeldAt = null, Plan = null, Proposal = null };
        after = after.Record(now, worth ? "escalated" : "closed",
            $"the claim prescribes on {PrescriptionOn(state):yyyy-MM-dd}: {(worth ? "handed to litigation before it does" : "closed, the balance is below the escalation threshold")}");
        return Applied(after, new StopWaking(), new WithdrawFromDebtor(Settled: !worth));
    }

    /// <summary>The status a paused case returns to, and since when it was paused.</summary>
    private static (CaseStatus Status, DateTimeOffset Since) Paused(CaseState state, DateTimeOffset now) => state.Status switch
    {
        CaseStatus.OnHold or CaseStatus.PaymentPlan or CaseStatus.Disputed => (state.StatusBeforeHold ?? CaseStatus.Active, state.HeldAt ?? now),
        _ => (state.Status, now),
    };

    private static CaseDecision Contest(CaseState state, OpenDispute dispute, DateTimeOffset now, DunningPolicy policy)
    {
        if (state.Status == CaseStatus.Disputed)
        {
            return Unchanged(state, CaseActionOutcome.AlreadyApplied);
        }

        if (state.Status.IsFinal() || state.Status == CaseStatus.Escalated)
        {
            return Unchanged(state, CaseActionOutcome.Refused, $"a {Wire(state.Status)} case cannot be disputed here");
        }

        var (before, since) = Paused(state, now);
        var after = (state with
        {
            Status = CaseStatus.Disputed,
            StatusBeforeHold = before,
            HeldAt = since,
            Dispute = new Dispute(dispute.Reason, dispute.Message, now),
            Disputes = state.Disputes + 1,
            PendingContact = null,
            Plan = null,
            Proposal = null,
        }).Record(now, "disputed", dispute.Message is null ? dispute.Reason : $"{dispute.Reason}: {dispute.Message}");
        if (state.Status == CaseStatus.PaymentPlan)
        {
            after = after.Record(now, "plan_ended", "the debtor disputed the case");
        }

        return Applied(after, new WithdrawFromDebtor(Settled: false), Arm(after, null));
    }

    private static CaseDecision Settle(CaseState state, SettleDispute settle, DateTimeOffset now, DunningPolicy policy)
    {
        if (state.Status != CaseStatus.Disputed)
        {
            return Unchanged(state, CaseActionOutcome.Refused, "the case is not disputed");
        }

        if (settle.Uphold)
        {
            var closed = (state with
            {
                Status = CaseStatus.Closed,
                ClosedReason = "dispute_upheld",
                NextStepAt = null,
                NextAction = null,
                StatusBeforeHold = null,
                HeldAt = null,
            }).Record(now, "dispute_upheld", settle.Note);
            return Applied(closed, new StopWaking(), new WithdrawFromDebtor(Settled: true));
        }

        var resumed = ResumeFromPause(state, now, policy).Record(now, "dispute_rejected", settle.Note);
        var answer = Request(resumed, -100 - state.Disputes, ContactKind.DisputeAnswer, [Channel.Email], now) with { Note = settle.Note };
        resumed = resumed with { PendingContact = answer };
        return Applied(resumed, new AskDebtorToContact(answer), Arm(resumed, resumed.NextStepAt));
    }

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

    /// <summary>Splits the balance into monthly instalments, the first one week from today, any odd cents on the first.</summary>
    public static IReadOnlyList<Instalment> Instalments(decimal balance, int count, DateOnly today)
    {
        var each = Math.Floor(balance / count * 100m) / 100m;
        var first = balance - (each * (count - 1));
        return [.. Enumerable.Range(0, count).Select(i => new Instalment(i + 1, today.AddDays(7).AddMonths(i), i == 0 ? first : each))];
    }

    private static CaseDecision ProposePlan(CaseState state, AskForPlan ask, DateTimeOffset now, DunningPolicy policy)
    {
        if (!state.Status.AcceptsReminders() && state.Status != CaseStatus.OnHold)
        {
            return state.Status == CaseStatus.PaymentPlan
                ? Unchanged(state, CaseActionOutcome.AlreadyApplied)
                : Unchanged(state, CaseActionOutcome.Refused, $"a {Wire(state.Status)} case cannot take a payment plan");
        }

        if (ask.Instalments < 2)
        {
            return Unchanged(state, CaseActionOutcome.Refused, "a plan has at least 2 instalments");
        }

        if (state.PlanRequests >= CaseState.MaxPlanRequests)
        {
            return Unchanged(state, CaseActionOutcome.Refused, $"{CaseState.MaxPlanRequests} plans were already asked for on this case: the creditor will answer by other means");
        }

        state = state with { PlanRequests = state.PlanRequests + 1 };

        var each = Math.Floor(state.Balance / ask.Instalments * 100m) / 100m;
        var why = ask.Instalments > ask.Rules.MaxInstalments ? $"more than {ask.Rules.MaxInstalments} instalments"
            : each < ask.Rules.MinInstalment ? $"instalments under {Money(ask.Rules.MinInstalment, state.Draft!.Currency)}"
            : null;
        if (why is not null)
        {
            // Outside the automatic rules: the creditor decides; the schedule goes on meanwhile.
            var proposed = (state with { Proposal = new PlanProposal(ask.Instalments, now, why) })
                .Record(now, "plan_proposed", $"{ask.Instalments} instalments ({why}): waiting for the creditor");
            return Applied(proposed);
        }

        return Agree(state, ask.Instalments, now, byCreditor: false, note: null);
    }

    private static CaseDecision AnswerProposal(CaseState state, AnswerPlan answer, DateTimeOffset now, DunningPolicy policy)
    {
        if (state.Proposal is not { } proposal)
        {
            return Unchanged(state, CaseActionOutcome.Refused, "no plan proposal is waiting");
        }

        if (!answer.Accept)
        {
            return Applied((state with { Proposal = null }).Record(now, "plan_refused", answer.Note));
        }

        if (!state.Status.AcceptsReminders() && state.Status != CaseStatus.OnHold)
        {
            return Unchanged(state, CaseActionOutcome.Refused, $"a {Wire(state.Status)} case cannot take a payment plan");
        }

        return Agree(state, proposal.Instalments, now, byCreditor: true, note: answer.Note);
    }

    /// <summary>A plan is agreed: reminders pause, each instalment gets its own reminder and check, prescription restarts.</summary>
    private static CaseDecision Agree(CaseState state, int count, DateTimeOffset now, bool byCreditor, string? note)
    {
        var (before, since) = Paused(state, now);
        var plan = new PaymentPlan(Instalments(state.Balance, count, ParisTime.DateOf(now)), now, state.Paid, 0, 0, byCreditor);
        var after = (state with
        {
            Status = CaseStatus.PaymentPlan,
            StatusBeforeHold = before,
            HeldAt = since,
            Plan = plan,
            Proposal = null,
            PendingContact = null,
            AcknowledgedAt = now,
        }).Record(now, "plan_agreed",
            $"{count} monthly instalments from {plan.Instalments[0].DueOn:yyyy-MM-dd}{(byCreditor ? ", accepted by the creditor" : string.Empty)}{(note is null ? string.Empty : $": {note}")}");
        return Applied(after, new WithdrawFromDebtor(Settled: false), Arm(after, NextPlanEvent(after)));
    }

    /// <summary>What the case does next and when: a plan's instalment notice or check, or the schedule's next step; nothing once it stopped.</summary>
    public static (DateTimeOffset? At, string? Action) Next(CaseState state) =>
        state.Status == CaseStatus.PaymentPlan && NextPlanEvent(state) is { } planned
            ? (planned, PlanAction(state))
            : state.NextStepAt is { } at && state.Status.AcceptsReminders() ? (at, state.NextAction ?? "none") : (null, null);

    /// <summary>What the plan's next event does, as the API spells it.</summary>
    public static string PlanAction(CaseState state) =>
        state.Plan is { } plan && plan.Reminded <= plan.Honoured ? "instalment_notice" : "instalment_check";

    /// <summary>The next thing a plan does: remind the next instalment, or check that it was paid.</summary>
    public static DateTimeOffset? NextPlanEvent(CaseState state)
    {
        if (state.Plan is not { } plan || plan.Honoured >= plan.Instalments.Count)
        {
            return null;
        }

        var due = plan.Instalments[plan.Honoured].DueOn;
        return plan.Reminded <= plan.Honoured
            ? ParisTime.StartOfDay(due.AddDays(-InstalmentNoticeDays))
            : ParisTime.StartOfDay(due.AddDays(InstalmentGraceDays));
    }

    private static CaseDecision PlanStep(CaseState state, DateTimeOffset now, DunningPolicy policy)
    {
        if (NextPlanEvent(state) is not { } at || now < at)
        {
            return Unchanged(state, CaseActionOutcome.AlreadyApplied, effects: [Arm(state, NextPlanEvent(state))]);
        }

        var plan = state.Plan!;
        var index = plan.Honoured;
        var instalment = plan.Instalments[index];
        var owedSoFar = plan.Instalments.Take(index + 1).Sum(i => i.Amount);
        var paidSince = state.Paid - plan.PaidAtStart;
        if (plan.Reminded <= index)
        {
            var reminded = state with { Plan = plan with { Reminded = index + 1 } };
            if (paidSince >= owedSoFar)
            {
                return Applied(reminded, Arm(reminded, NextPlanEvent(reminded)));
            }

            var request = Request(reminded, -1 - index, ContactKind.InstalmentDue, [Channel.Email, Channel.Sms], now) with { Instalment = instalment };
            reminded = (reminded with { PendingContact = request }).Record(now, "instalment_due", $"instalment {instalment.Number} of {Money(instalment.Amount, state.Draft!.Currency)} on {instalment.DueOn:yyyy-MM-dd}");
            return Applied(reminded, new AskDebtorToContact(request), Arm(reminded, NextPlanEvent(reminded)));
        }

        if (paidSince >= owedSoFar)
        {
            var honoured = state with { Plan = plan with { Honoured = index + 1 }, PendingContact = null };
            return Applied(honoured, Arm(honoured, NextPlanEvent(honoured)));
        }

        // A missed instalment ends the plan; the case goes back where it was.
        var resumed = ResumeFromPause(state with { PendingContact = null }, now, policy)
            .Record(now, "plan_missed", $"instalment {instalment.Number} of {Money(instalment.Amount, state.Draft!.Currency)} due {instalment.DueOn:yyyy-MM-dd} was not paid");
        return Applied(resumed, Arm(resumed, resumed.NextStepAt));
    }
}
