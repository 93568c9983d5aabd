using Recouvrement.Calendar;

namespace Recouvrement.Cases;

/// <summary>After the formal notice: the route a claim is worth, the creditor's approval, the hand-off and its outcome.</summary>
public static partial class CaseDecisions
{
    /// <summary>
    /// Weighs the legal routes for the balance (<see cref="LitigationEconomics"/>), records the figures, and escalates the
    /// case on the best route or closes it with <paramref name="closedReason"/> when none is worth its cost.
    /// </summary>
    private static CaseState Litigate(CaseState state, DateTimeOffset now, DunningPolicy policy, LitigationTerms terms, string trigger, string closedReason)
    {
        var draft = state.Draft!;
        var claim = new LitigationClaim(state.Balance, draft.Currency, draft.Debtor.Kind, draft.DueOn, ParisTime.DateOf(now), policy.EscalationThreshold);
        var decision = LitigationEconomics.Decide(claim, terms, trigger, now);
        var route = LitigationEconomics.Wire(decision.Route);
        var after = (state with { Decision = decision }).Record(now, "litigation_decision",
            $"{route}, expected net {Money(decision.ExpectedNet, draft.Currency)}: {decision.Reason}; "
            + string.Join(", ", decision.Alternatives.Select(a => $"{LitigationEconomics.Wire(a.Route)} {Money(a.ExpectedNet, draft.Currency)}{(a.Eligible ? string.Empty : " (not eligible)")}")));
        if (decision.Route == LitigationRoute.WriteOff)
        {
            return (after with { Status = CaseStatus.Closed, ClosedReason = closedReason }).Record(now, "closed", decision.Reason);
        }

        var approval = (terms.Settings.Litigation ?? LitigationSettings.Default).RequireApproval;
        return (after with
        {
            Status = CaseStatus.Escalated,
            Litigation = new CaseLitigation(decision.Route, approval ? LitigationStatus.AwaitingApproval : LitigationStatus.Ready),
        }).Record(now, "escalated", $"balance {Money(state.Balance, draft.Currency)} goes to {route}" + (approval ? ", awaiting the creditor's approval" : string.Empty));
    }

    private static CaseDecision Choose(CaseState state, LitigationRoute route, DateTimeOffset now)
    {
        if (state.Status != CaseStatus.Escalated || state.Litigation is not { } litigation)
        {
            return Unchanged(state, CaseActionOutcome.Refused, $"a {Wire(state.Status)} case is not escalated");
        }

        if (litigation.Status is LitigationStatus.HandedOver or LitigationStatus.Concluded)
        {
            return Unchanged(state, CaseActionOutcome.Refused, "the case was already handed over");
        }

        if (route == LitigationRoute.WriteOff)
        {
            var closed = (state with { Status = CaseStatus.Closed, ClosedReason = "written_off", Litigation = null })
                .Record(now, "closed", "written off by the creditor");
            return Applied(closed, new WithdrawFromDebtor(Settled: true));
        }

        if (litigation.Status == LitigationStatus.Ready && litigation.Route == route && litigation.ApprovedAt is not null)
        {
            return Unchanged(state, CaseActionOutcome.AlreadyApplied);
        }

        if (route == LitigationRoute.SmallClaims && state.Balance > LitigationEconomics.SmallClaimsLimit)
        {
            return Unchanged(state, CaseActionOutcome.Refused, "the small-claims procedure takes balances up to 5000.00 EUR");
        }

        var after = (state with { Litigation = litigation with { Route = route, Status = LitigationStatus.Ready, ApprovedAt = now } })
            .Record(now, "litigation_approved", LitigationEconomics.Wire(route));
        return Applied(after);
    }

    private static CaseDecision HandOverCase(CaseState state, DateTimeOffset now)
    {
        if (state.Status != CaseStatus.Escalated || state.Litigation is not { } litigation)
        {
            return Unchanged(state, CaseActionOutcome.Refused, $"a {Wire(state.Status)} case is not escalated");
        }

        return litigation.Status switch
        {
            LitigationStatus.HandedOver or LitigationStatus.Concluded => Unchanged(state, CaseActionOutcome.AlreadyApplied),
            LitigationStatus.AwaitingApproval => Unchanged(state, CaseActionOutcome.Refused, "the hand-off awaits the creditor's approval"),
            _ => Applied((state with { Litigation = litigation with { Status = LitigationStatus.HandedOver, HandedOverAt = now, BalanceHandedOver = state.Balance } })
                .Record(now, "handed_over", $"{LitigationEconomics.Wire(litigation.Route)}, balance {Money(state.Balance, state.Draft!.Currency)}")),
        };
    }

    private static CaseDecision Conclude(CaseState state, ConcludeLitigation conclude, DateTimeOffset now)
    {
        if (state.Litigation is { Status: LitigationStatus.Concluded } done)
        {
            return done.Outcome == conclude.Outcome && (conclude.Amount is null || conclude.Amount == done.Amount)
                ? Unchanged(state, CaseActionOutcome.AlreadyApplied)
                : Unchanged(state, CaseActionOutcome.Refused, "the case already has another outcome");
        }

        if (state.Status != CaseStatus.Escalated || state.Litigation is not { Status: LitigationStatus.HandedOver } litigation)
        {
            return Unchanged(state, CaseActionOutcome.Refused, "only a case handed over to litigation has an outcome");
        }

        var handedOver = litigation.BalanceHandedOver ?? state.Balance;
        var amount = conclude.Outcome switch
        {
            LitigationOutcome.Recovered => conclude.Amount ?? handedOver,
            LitigationOutcome.Failed => conclude.Amount ?? 0m,
            _ => conclude.Amount,
        };
        if (amount is null)
        {
            return Unchanged(state, CaseActionOutcome.Refused, $"a {Wire(conclude.Outcome)} outcome needs the amount recovered");
        }

        if (amount < 0m || (conclude.Outcome == LitigationOutcome.Failed && amount != 0m))
        {
            return Unchanged(state, CaseActionOutcome.Refused, "the amount must be positive, and zero for a failed outcome");
        }

        var outcome = Wire(conclude.Outcome);
        var after = (state with
        {
            Status = CaseStatus.Closed,
            ClosedReason = "litigation_" + outcome,
            Litigation = litigation with { Status = LitigationStatus.Concluded, Outcome = conclude.Outcome, Amount = amount, Note = conclude.Note, ConcludedAt = now },
        }).Record(now, "litigation_outcome", $"{outcome}, {Money(amount.Value, state.Draft!.Currency)} recovered" + (conclude.Note is { Length: > 0 } note ? $": {note}" : string.Empty));
        return Applied(after, new CountLitigationOutcome(litigation.Route, handedOver, amount.Value), new WithdrawFromDebtor(Settled: true));
    }

    /// <summary>The outcome as the API spells it.</summary>
    public static string Wire(LitigationOutcome outcome) => outcome switch
    {
        LitigationOutcome.PartiallyRecovered => "partially_recovered",
        _ => outcome.ToString().ToLowerInvariant(),
    };
}
