using Recouvrement.Calendar;

namespace Recouvrement.Tests.Domain;

/// <summary>The litigation decision inside the case's life: recorded at the final step, approved, handed over, concluded.</summary>
public class CaseLitigationTests
{
    private static readonly DunningPolicy Policy = DunningPolicy.Default;
    private static readonly DateTimeOffset Created = ParisTime.At(new DateOnly(2026, 11, 3), new TimeOnly(10, 0));

    private static CaseState RunToTheEnd(decimal amount, LitigationTerms? terms = null, DebtorKind kind = DebtorKind.Consumer)
    {
        var state = CaseDecisions.Decide(new CaseState(), new OpenCase(Drafts.Case(amount: amount, debtor: Drafts.Debtor(kind: kind))), Created, Policy).State;
        while (state.NextStepAt is { } at)
        {
            state = CaseDecisions.Decide(state, new WakeUp(terms), at, Policy).State;
        }

        return state;
    }

    private static CaseDecision Do(CaseState state, CaseCommand command) => CaseDecisions.Decide(state, command, Created.AddDays(40), Policy);

    [Fact]
    public void The_final_step_records_the_decision_with_its_figures_before_escalating()
    {
        var state = RunToTheEnd(4_900m);

        Assert.Equal(CaseStatus.Escalated, state.Status);
        Assert.Equal(LitigationRoute.SmallClaims, state.Decision!.Route);
        Assert.Equal(2_182.50m, state.Decision.ExpectedNet);
        Assert.Equal("final_decision", state.Decision.Trigger);
        Assert.Equal(new CaseLitigation(LitigationRoute.SmallClaims, LitigationStatus.Ready), state.Litigation);
        Assert.Equal(["litigation_decision", "escalated"], state.History.TakeLast(2).Select(e => e.Kind));
        Assert.Equal(
            "small_claims, expected net 2182.50 EUR: small_claims is expected to bring 2182.50 EUR net on a claim of 4900.00 EUR, more than payment_order (1912.00 EUR); "
            + "small_claims 2182.50 EUR, payment_order 1912.00 EUR, write_off 0.00 EUR",
            state.History[^2].Detail);
    }

    [Fact]
    public void A_claim_no_route_is_worth_closes_as_uneconomic_with_the_decision_recorded()
    {
        var state = RunToTheEnd(42m);
        Assert.Equal((CaseStatus.Closed, "uneconomic"), (state.Status, state.ClosedReason));
        Assert.Equal(LitigationRoute.WriteOff, state.Decision!.Route);
        Assert.Null(state.Litigation);
    }

    [Fact]
    public void The_creditors_indemnity_turns_a_business_claim_of_42_EUR_into_small_claims()
    {
        var terms = new LitigationTerms(CreditorSettings.None with { RecoveryIndemnity = true }, LitigationHistory.None);
        var state = RunToTheEnd(42m, terms, DebtorKind.Business);
        Assert.Equal((CaseStatus.Escalated, LitigationRoute.SmallClaims, 14.40m), (state.Status, state.Decision!.Route, state.Decision.ExpectedNet)); // (82 − 50) × 0.45
    }

    [Fact]
    public void With_approval_required_the_case_waits_and_cannot_be_handed_over_until_approved()
    {
        var terms = new LitigationTerms(CreditorSettings.None with { Litigation = new(RequireApproval: true) }, LitigationHistory.None);
        var state = RunToTheEnd(6_000m, terms);
        Assert.Equal(LitigationStatus.AwaitingApproval, state.Litigation!.Status);
        Assert.Equal(CaseActionOutcome.Refused, Do(state, new HandOver()).Outcome);

        var refused = Do(state, new ChooseRoute(LitigationRoute.SmallClaims));
        Assert.Equal((CaseActionOutcome.Refused, "the small-claims procedure takes balances up to 5000.00 EUR"), (refused.Outcome, refused.Reason));

        var approved = Do(state, new ChooseRoute(LitigationRoute.PaymentOrder));
        Assert.Equal(CaseActionOutcome.Applied, approved.Outcome);
        Assert.Equal((LitigationRoute.PaymentOrder, LitigationStatus.Ready), (approved.State.Litigation!.Route, approved.State.Litigation.Status));
        Assert.Equal(CaseActionOutcome.AlreadyApplied, Do(approved.State, new ChooseRoute(LitigationRoute.PaymentOrder)).Outcome);
        Assert.Equal(LitigationStatus.HandedOver, Do(approved.State, new HandOver()).State.Litigation!.Status);
    }

    [Fact]
    public void Choosing_write_off_closes_an_escalated_case()
    {
        var after = Do(RunToTheEnd(4_900m), new ChooseRoute(LitigationRoute.WriteOff));
        Assert.Equal((CaseStatus.Closed, "written_off"), (after.State.Status, after.State.ClosedReason));
        Assert.Contains(new WithdrawFromDebtor(Settled: true), after.Effects);
    }

    [Fact]
    public void A_handed_over_case_takes_payments_and_closes_with_its_outcome_counted_once()
    {
        var handed = Do(RunToTheEnd(4_900m), new HandOver()).State;
        Assert.Equal((LitigationStatus.HandedOver, 4_900m), (handed.Litigation!.Status, handed.Litigation.BalanceHandedOver));
        Assert.Equal(CaseActionOutcome.AlreadyApplied, Do(handed, new HandOver()).Outcome);

        var paid = Do(handed, new ReceivePayment(new PaymentReceipt("VIR-1", 900m, "EUR", new DateOnly(2026, 12, 12), "bank_transfer")));
        Assert.Equal((CaseActionOutcome.Applied, CaseStatus.Escalated, 4_000m), (paid.Outcome, paid.State.Status, paid.State.Balance));

        Assert.Equal(CaseActionOutcome.Refused, Do(paid.State, new ConcludeLitigation(LitigationOutcome.PartiallyRecovered, null, null)).Outcome);
        var concluded = Do(paid.State, new ConcludeLitigation(LitigationOutcome.PartiallyRecovered, 2_000m, "accord partiel"));
        Assert.Equal((CaseStatus.Closed, "litigation_partially_recovered"), (concluded.State.Status, concluded.State.ClosedReason));
        Assert.Equal(new CountLitigationOutcome(LitigationRoute.SmallClaims, 4_900m, 2_000m), concluded.Effects[0]);
        Assert.Equal("partially_recovered, 2000.00 EUR recovered: accord partiel", concluded.State.History[^1].Detail);

        var again = Do(concluded.State, new ConcludeLitigation(LitigationOutcome.PartiallyRecovered, 2_000m, "accord partiel"));
        Assert.Equal(CaseActionOutcome.AlreadyApplied, again.Outcome);
        Assert.Empty(again.Effects);
        Assert.Equal(CaseActionOutcome.Refused, Do(concluded.State, new ConcludeLitigation(LitigationOutcome.Failed, null, null)).Outcome);
    }

    [Fact]
    public void An_outcome_before_the_hand_off_is_refused()
    {
        var outcome = Do(RunToTheEnd(4_900m), new ConcludeLitigation(LitigationOutcome.Recovered, null, null));
        Assert.Equal((CaseActionOutcome.Refused, "only a case handed over to litigation has an outcome"), (outcome.Outcome, outcome.Reason));
    }

    [Fact]
    public void Hand_off_and_outcome_are_case_events()
    {
        var escalated = RunToTheEnd(4_900m);
        var handed = Do(escalated, new HandOver()).State;
        Assert.Equal([Events.EventTypes.HandedOver], CaseFacts.Between(escalated, handed, new HandOver()).Select(f => f.Type));
        var command = new ConcludeLitigation(LitigationOutcome.Recovered, null, null);
        var concluded = Do(handed, command).State;
        var facts = CaseFacts.Between(handed, concluded, command);
        Assert.Equal([Events.EventTypes.LitigationOutcome, Events.EventTypes.Closed], facts.Select(f => f.Type));
        Assert.Equal("""{"route":"small_claims","outcome":"recovered","amount":4900.00,"currency":"EUR"}""", facts[0].Data);
    }

    [Fact]
    public void The_prescription_guard_takes_the_same_decision()
    {
        var old = new DateOnly(2024, 12, 15);
        var opened = CaseDecisions.Decide(new CaseState(), new OpenCase(Drafts.Case(amount: 6_000m, dueOn: old)), Created, Policy).State;
        var guard = CaseDecisions.PrescriptionGuard(opened)!.Value;
        Assert.True(CaseDecisions.NeedsLitigationTerms(opened, guard, Policy));
        var state = CaseDecisions.Decide(opened, new WakeUp(), guard, Policy).State;
        Assert.Equal((CaseStatus.Escalated, LitigationRoute.PaymentOrder, "prescription"), (state.Status, state.Decision!.Route, state.Decision.Trigger));
    }
}
