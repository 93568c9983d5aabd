using Recouvrement.Calendar;

namespace Recouvrement.Tests.Domain;

public class CaseDecisionsTests
{
    private static readonly DunningPolicy Policy = DunningPolicy.Default;
    private static readonly DateTimeOffset Created = ParisTime.At(new DateOnly(2026, 11, 3), new TimeOnly(10, 0));

    private static CaseState Opened(decimal amount = 42.50m)
    {
        var d = CaseDecisions.Decide(new CaseState(), new OpenCase(Drafts.Case(amount: amount)), Created, Policy);
        return d.State;
    }

    private static DateTimeOffset ParisMidnight(int month, int day) => ParisTime.StartOfDay(new DateOnly(2026, month, day));

    [Fact]
    public void Opening_a_case_schedules_the_first_reminder_the_day_after_the_due_date()
    {
        var decision = CaseDecisions.Decide(new CaseState(), new OpenCase(Drafts.Case()), Created, Policy);
        Assert.Equal(CaseActionOutcome.Applied, decision.Outcome);
        Assert.Equal(CaseStatus.Active, decision.State.Status);
        Assert.Equal(ParisMidnight(11, 4), decision.State.NextStepAt);
        Assert.Equal("reminder", decision.State.NextAction);
        Assert.Equal(new CaseEffect[] { new AttachToDebtor(Drafts.Debtor()), new WakeAt(ParisMidnight(11, 4)) }, decision.Effects.ToArray());
    }

    [Fact]
    public void The_same_case_again_is_a_duplicate_and_different_content_is_a_conflict()
    {
        var state = Opened();
        Assert.Equal(CaseActionOutcome.AlreadyApplied, CaseDecisions.Decide(state, new OpenCase(Drafts.Case()), Created, Policy).Outcome);
        var conflict = CaseDecisions.Decide(state, new OpenCase(Drafts.Case(amount: 43m)), Created, Policy);
        Assert.Equal(CaseActionOutcome.Refused, conflict.Outcome);
        Assert.Same(state, conflict.State);
    }

    [Fact]
    public void The_default_schedule_runs_its_five_steps_on_their_days()
    {
        var state = Opened(amount: 420m); // worth the small claims with the default costs
        var seen = new List<(DateTimeOffset At, string? Action, CaseStatus Status)>();
        while (state.NextStepAt is { } at)
        {
            var d = CaseDecisions.Decide(state, new WakeUp(), at, Policy);
            state = d.State;
            seen.Add((at, state.History[^1].Kind, state.Status));
        }

        Assert.Equal(
        [
            (ParisMidnight(11, 4), "reminder_due", CaseStatus.Active),
            (ParisMidnight(11, 11), "reminder_due", CaseStatus.Active),
            (ParisMidnight(11, 18), "reminder_due", CaseStatus.Active),
            (ParisMidnight(11, 25), "formal_notice_due", CaseStatus.FormalNotice),
            (ParisMidnight(12, 10), "escalated", CaseStatus.Escalated),
        ], seen);
    }

    [Fact]
    public void A_reminder_step_asks_the_debtor_for_its_channels()
    {
        var d = CaseDecisions.Decide(Opened(), new WakeUp(), ParisMidnight(11, 4), Policy);
        var ask = Assert.IsType<AskDebtorToContact>(d.Effects[0]);
        Assert.Equal(new ContactRequest("FAC-1", 0, ContactKind.Reminder, ask.Request.Channels, 42.50m, "EUR", new DateOnly(2026, 10, 4), "Bilan lipidique et TSH du 04/10/2026", ParisMidnight(11, 4),
            DueOn: new DateOnly(2026, 11, 3), Principal: 42.50m, Paid: 0m, FirstContactAt: null, FirstContactId: null), ask.Request);
        Assert.Equal([Channel.Email, Channel.Sms], ask.Request.Channels);
        Assert.Equal(new WakeAt(ParisMidnight(11, 11)), d.Effects[1]);
    }

    [Fact]
    public void A_small_balance_is_closed_as_uneconomic_at_the_final_decision()
    {
        var state = Opened(amount: 25m);
        while (state.NextStepAt is { } at)
        {
            state = CaseDecisions.Decide(state, new WakeUp(), at, Policy).State;
        }

        Assert.Equal(CaseStatus.Closed, state.Status);
        Assert.Equal("uneconomic", state.ClosedReason);
    }

    [Fact]
    public void A_case_fed_late_starts_at_step_one_and_keeps_the_gaps()
    {
        var lateCreation = ParisTime.At(new DateOnly(2026, 12, 20), new TimeOnly(9, 0));
        var state = CaseDecisions.Decide(new CaseState(), new OpenCase(Drafts.Case()), lateCreation, Policy).State;
        Assert.Equal(lateCreation, state.NextStepAt);
        state = CaseDecisions.Decide(state, new WakeUp(), lateCreation, Policy).State;
        Assert.Equal(lateCreation.AddDays(7), state.NextStepAt);
        Assert.Equal(CaseStatus.Active, state.Status);
    }

    [Fact]
    public void An_early_tick_changes_nothing_and_rearms()
    {
        var state = Opened();
        var d = CaseDecisions.Decide(state, new WakeUp(), ParisMidnight(11, 3).AddHours(23), Policy);
        Assert.Same(state, d.State);
        Assert.Equal(new CaseEffect[] { new WakeAt(ParisMidnight(11, 4)) }, d.Effects.ToArray());
    }

    [Fact]
    public void A_repeated_tick_after_the_step_does_not_run_it_twice()
    {
        var after = CaseDecisions.Decide(Opened(), new WakeUp(), ParisMidnight(11, 4), Policy).State;
        var again = CaseDecisions.Decide(after, new WakeUp(), ParisMidnight(11, 4).AddMinutes(1), Policy);
        Assert.Same(after, again.State);
        Assert.Equal(1, again.State.Stage);
        Assert.Contains(again.Effects, e => e is AskDebtorToContact); // re-asks the unconfirmed contact; the debtor ignores a stage it sent
    }

    [Fact]
    public void Payment_of_full_balance_closes_the_case_as_paid()
    {
        var d = CaseDecisions.Decide(Opened(), new ReceivePayment(Payment("VIR-1", 42.50m)), Created.AddDays(2), Policy);
        Assert.Equal(CaseStatus.Paid, d.State.Status);
        Assert.Equal(0m, d.State.Balance);
        Assert.Null(d.State.NextStepAt);
        Assert.Equal(new CaseEffect[] { new StopWaking(), new WithdrawFromDebtor(Settled: true) }, d.Effects.ToArray());
    }

    [Fact]
    public void A_partial_payment_keeps_the_case_open_for_the_balance()
    {
        var d = CaseDecisions.Decide(Opened(), new ReceivePayment(Payment("VIR-1", 20m)), Created.AddDays(2), Policy);
        Assert.Equal(CaseStatus.Active, d.State.Status);
        Assert.Equal(22.50m, d.State.Balance);
        Assert.Empty(d.Effects);
    }

    [Fact]
    public void The_same_payment_twice_counts_once_and_a_reused_reference_is_refused()
    {
        var once = CaseDecisions.Decide(Opened(), new ReceivePayment(Payment("VIR-1", 20m)), Created, Policy).State;
        var twice = CaseDecisions.Decide(once, new ReceivePayment(Payment("VIR-1", 20m)), Created, Policy);
        Assert.Equal(CaseActionOutcome.AlreadyApplied, twice.Outcome);
        Assert.Equal(20m, twice.State.Paid);
        Assert.Equal(CaseActionOutcome.Refused, CaseDecisions.Decide(once, new ReceivePayment(Payment("VIR-1", 5m)), Created, Policy).Outcome);
    }

    [Fact]
    public void An_overpayment_is_recorded_not_lost()
    {
        var d = CaseDecisions.Decide(Opened(), new ReceivePayment(Payment("VIR-1", 50m)), Created, Policy);
        Assert.Equal(50m, d.State.Paid);
        Assert.Equal(CaseStatus.Paid, d.State.Status);
        Assert.Contains(d.State.History, e => e.Kind == "overpayment" && e.Detail == "7.50 EUR");
    }

    [Fact]
    public void Money_received_on_a_closed_case_is_still_recorded()
    {
        var closed = CaseDecisions.Decide(Opened(), new CancelCase("error"), Created, Policy).State;
        var d = CaseDecisions.Decide(closed, new ReceivePayment(Payment("VIR-9", 10m)), Created, Policy);
        Assert.Equal(CaseActionOutcome.Applied, d.Outcome);
        Assert.Equal(CaseStatus.Closed, d.State.Status);
        Assert.Equal(10m, d.State.Paid);
    }

    public static TheoryData<string, CaseStatus, CaseCommand, CaseActionOutcome, CaseStatus> Transitions => new()
    {
        { "hold an active case", CaseStatus.Active, new PutOnHold(), CaseActionOutcome.Applied, CaseStatus.OnHold },
        { "hold a formal notice", CaseStatus.FormalNotice, new PutOnHold(), CaseActionOutcome.Applied, CaseStatus.OnHold },
        { "hold twice", CaseStatus.OnHold, new PutOnHold(), CaseActionOutcome.AlreadyApplied, CaseStatus.OnHold },
        { "hold a paid case", CaseStatus.Paid, new PutOnHold(), CaseActionOutcome.Refused, CaseStatus.Paid },
        { "hold an escalated case", CaseStatus.Escalated, new PutOnHold(), CaseActionOutcome.Refused, CaseStatus.Escalated },
        { "resume a held case", CaseStatus.OnHold, new ResumeSchedule(), CaseActionOutcome.Applied, CaseStatus.Active },
        { "resume an active case", CaseStatus.Active, new ResumeSchedule(), CaseActionOutcome.AlreadyApplied, CaseStatus.Active },
        { "resume a closed case", CaseStatus.Closed, new ResumeSchedule(), CaseActionOutcome.Refused, CaseStatus.Closed },
        { "cancel an active case", CaseStatus.Active, new CancelCase("x"), CaseActionOutcome.Applied, CaseStatus.Closed },
        { "cancel an escalated case", CaseStatus.Escalated, new CancelCase("x"), CaseActionOutcome.Applied, CaseStatus.Closed },
        { "cancel a held case", CaseStatus.OnHold, new CancelCase("x"), CaseActionOutcome.Applied, CaseStatus.Closed },
        { "cancel a closed case", CaseStatus.Closed, new CancelCase("x"), CaseActionOutcome.AlreadyApplied, CaseStatus.Closed },
        { "cancel a paid case", CaseStatus.Paid, new CancelCase("x"), CaseActionOutcome.Refused, CaseStatus.Paid },
        { "a tick on a held case", CaseStatus.OnHold, new WakeUp(), CaseActionOutcome.AlreadyApplied, CaseStatus.OnHold },
        { "a tick on a paid case", CaseStatus.Paid, new WakeUp(), CaseActionOutcome.AlreadyApplied, CaseStatus.Paid },
        { "pay an escalated case", CaseStatus.Escalated, new ReceivePayment(Payment("P", 42.50m)), CaseActionOutcome.Applied, CaseStatus.Paid },
        { "pay a held case", CaseStatus.OnHold, new ReceivePayment(Payment("P", 42.50m)), CaseActionOutcome.Applied, CaseStatus.Paid },
    };

    [Theory]
    [MemberData(nameof(Transitions))]
    public void Each_status_accepts_only_its_transitions(string why, CaseStatus from, CaseCommand command, CaseActionOutcome outcome, CaseStatus to)
    {
        var state = Opened() with { Status = from, StatusBeforeHold = from == CaseStatus.OnHold ? CaseStatus.Active : null };
        var d = CaseDecisions.Decide(state, command, Created.AddDays(1), Policy);
        Assert.True(outcome == d.Outcome, $"{why}: outcome {d.Outcome}");
        Assert.True(to == d.State.Status, $"{why}: status {d.State.Status}");
    }

    [Fact]
    public void A_held_case_drops_its_queued_contact_and_keeps_only_its_prescription_timer()
    {
        // Due 3 Nov 2026, a consumer claim prescribes on 3 Nov 2028: the guard is 60 days before.
        var d = CaseDecisions.Decide(Opened(), new PutOnHold(), Created, Policy);
        Assert.Equal(new CaseEffect[] { new WakeAt(ParisTime.StartOfDay(new DateOnly(2028, 9, 4))), new WithdrawFromDebtor(Settled: false) }, d.Effects.ToArray());
    }

    [Fact]
    public void A_step_falling_due_with_a_dispute_answer_unsent_carries_the_answer()
    {
        var opened = Opened();
        var disputed = CaseDecisions.Decide(opened, new OpenDispute("wrong_amount", null), Created, Policy).State;
        // The next step falls due before the answer was confirmed sent: it replaces the answer in the queue, and carries it.
        var rejected = CaseDecisions.Decide(disputed, new SettleDispute(false, "Montant conforme au devis"), ParisMidnight(12, 1), Policy);
        Assert.Equal(ContactKind.DisputeAnswer, rejected.State.PendingContact!.Kind);
        var stepped = CaseDecisions.Decide(rejected.State, new WakeUp(), rejected.State.NextStepAt!.Value, Policy);
        var ask = Assert.IsType<AskDebtorToContact>(stepped.Effects[0]);
        Assert.Equal((ContactKind.Reminder, "Montant conforme au devis"), (ask.Request.Kind, ask.Request.Note));
    }

    [Theory]
    [InlineData(90, 3, new[] { 30.0, 30.0, 30.0 })]
    [InlineData(100, 3, new[] { 33.34, 33.33, 33.33 })]
    public void A_plan_splits_the_balance_with_the_odd_cents_first(decimal balance, int count, double[] amounts)
    {
        var plan = CaseDecisions.Instalments(balance, count, new DateOnly(2026, 1, 31));
        Assert.Equal(amounts.Select(a => (decimal)a), plan.Select(i => i.Amount));
        Assert.Equal([new DateOnly(2026, 2, 7), new DateOnly(2026, 3, 7), new DateOnly(2026, 4, 7)], plan.Select(i => i.DueOn));
        Assert.Equal(balance, plan.Sum(i => i.Amount));
    }

    [Fact]
    public void Resuming_asks_again_for_the_contact_the_hold_withdrew_and_shifts_the_schedule_by_the_hold()
    {
        var reminded = CaseDecisions.Decide(Opened(), new WakeUp(), ParisMidnight(11, 4), Policy).State;
        var held = CaseDecisions.Decide(reminded, new PutOnHold(), ParisMidnight(11, 4).AddHours(2), Policy).State;
        var resumeAt = ParisMidnight(11, 20);
        var d = CaseDecisions.Decide(held, new ResumeSchedule(), resumeAt, Policy);
        Assert.Equal(CaseStatus.Active, d.State.Status);
        var shifted = ParisMidnight(11, 11) + (resumeAt - ParisMidnight(11, 4).AddHours(2));
        Assert.Equal(shifted, d.State.NextStepAt);
        var ask = Assert.IsType<AskDebtorToContact>(d.Effects[0]);
        Assert.Equal(0, ask.Request.Stage);
        Assert.Equal(new WakeAt(shifted), d.Effects[1]);
    }

    [Fact]
    public void A_confirmed_contact_is_recorded_once_with_the_first_contact_date()
    {
        var reminded = CaseDecisions.Decide(Opened(), new WakeUp(), ParisMidnight(11, 4), Policy).State;
        var sentAt = ParisMidnight(11, 4).AddHours(8);
        var receipt = new ContactReceipt("msg_1", 0, Channel.Email, sentAt);
        var once = CaseDecisions.Decide(reminded, new ConfirmContact(receipt), sentAt, policy: null).State; // its grain does not fetch the policy
        Assert.Null(once.PendingContact);
        Assert.Equal(sentAt, once.FirstContactAt);
        Assert.Equal("msg_1", once.FirstContactMessageId);
        var twice = CaseDecisions.Decide(once, new ConfirmContact(receipt), sentAt, Policy);
        Assert.Equal(CaseActionOutcome.AlreadyApplied, twice.Outcome);
    }

    [Fact]
    public void Only_a_payment_a_hold_a_cancellation_or_a_confirmed_contact_is_decided_without_the_policy()
    {
        var opened = Opened();
        Assert.Equal(CaseStatus.Paid, CaseDecisions.Decide(opened, new ReceivePayment(Payment("VIR-1", 42.50m)), Created, policy: null).State.Status);
        Assert.Equal(CaseStatus.OnHold, CaseDecisions.Decide(opened, new PutOnHold(), Created, policy: null).State.Status);
        Assert.Equal(CaseStatus.Closed, CaseDecisions.Decide(opened, new CancelCase("paid at the lab"), Created, policy: null).State.Status);
        Assert.Throws<ArgumentNullException>(() => CaseDecisions.Decide(opened, new WakeUp(), ParisMidnight(11, 4), policy: null));
        Assert.Throws<ArgumentNullException>(() => CaseDecisions.Decide(new CaseState(), new OpenCase(Drafts.Case()), Created, policy: null));
    }

    [Fact]
    public void Commands_on_an_unknown_case_find_nothing()
    {
        var d = CaseDecisions.Decide(new CaseState(), new PutOnHold(), Created, Policy);
        Assert.Equal(CaseActionOutcome.NotFound, d.Outcome);
    }

    private static PaymentReceipt Payment(string reference, decimal amount) =>
        new(reference, amount, "EUR", new DateOnly(2026, 11, 5), "bank_transfer");

    [Fact]
    public void A_debtor_may_ask_for_ten_plans_on_a_case_and_no_more()
    {
        var state = Opened();
        for (var i = 0; i < CaseState.MaxPlanRequests; i++)
        {
            var asked = CaseDecisions.Decide(state, new AskForPlan(12, PlanRules.Default), Created.AddMinutes(i), Policy); // outside the rules: proposed
            Assert.Equal(CaseActionOutcome.Applied, asked.Outcome);
            state = CaseDecisions.Decide(asked.State, new AnswerPlan(false, null), Created.AddMinutes(i), Policy).State;
        }

        var refused = CaseDecisions.Decide(state, new AskForPlan(2, PlanRules.Default), Created.AddHours(1), Policy);
        Assert.Equal(CaseActionOutcome.Refused, refused.Outcome);
        Assert.Same(state, refused.State);
    }

    [Fact]
    public void A_case_keeps_its_creation_and_its_latest_history_entries_only()
    {
        var state = Opened();
        for (var i = 0; i < CaseState.MaxHistory + 20; i++)
        {
            state = state.Record(Created.AddMinutes(i), "note", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(CaseState.MaxHistory, state.History.Count);
        Assert.Equal("created", state.History[0].Kind);
        Assert.Equal((CaseState.MaxHistory + 19).ToString(System.Globalization.CultureInfo.InvariantCulture), state.History[^1].Detail);
        Assert.Equal("21", state.History[1].Detail);
    }
}
