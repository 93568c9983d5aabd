using System.Globalization;

namespace Recouvrement.Cases;

/// <summary>The claim as the litigation decision weighs it.</summary>
/// <param name="Today">The Paris date of the decision: interest runs from the due date to it.</param>
/// <param name="EscalationThreshold">The policy's floor: a smaller balance is written off without weighing any route.</param>
public sealed record LitigationClaim(decimal Balance, string Currency, DebtorKind Kind, DateOnly DueOn, DateOnly Today, decimal EscalationThreshold);

/// <summary>
/// Which legal route is worth taking for a claim, as a pure function of the claim, the creditor's settings and its
/// history: for each route, expected net = (balance + recoverable extras − cost) × expected recovery rate; the best
/// positive one wins, else the claim is written off. Extras are a business debtor's 40 EUR indemnity and late interest
/// when the creditor charges them (Code de commerce L441-10, D441-5); a consumer owes neither (CPCE L111-8).
/// </summary>
public static class LitigationEconomics
{
    /// <summary>The small-claims procedure takes claims up to this balance (CPCE L125-1, R125-1).</summary>
    public const decimal SmallClaimsLimit = 5_000m;

    private static readonly LitigationRoute[] Routes = [LitigationRoute.SmallClaims, LitigationRoute.PaymentOrder];

    /// <param name="trigger"><c>final_decision</c> or <c>prescription</c>, recorded with the figures.</param>
    public static LitigationDecision Decide(LitigationClaim claim, LitigationTerms terms, string trigger = "final_decision", DateTimeOffset? decidedAt = null)
    {
        var (indemnity, interest) = Extras(claim, terms.Settings);
        var total = claim.Balance + indemnity + interest;
        var settings = terms.Settings.Litigation ?? LitigationSettings.Default;
        var figures = Routes.Select(route => Figures(route, claim, total, settings, terms.History)).ToList();
        var writeOff = new RouteFigures(LitigationRoute.WriteOff, true, 0m, 0, 0m, "settings", 0m);
        figures.Add(writeOff);

        var best = figures.Where(f => f.Eligible && f.Route != LitigationRoute.WriteOff && f.ExpectedNet > 0m)
            .OrderByDescending(f => f.ExpectedNet).ThenBy(f => f.Route).FirstOrDefault();
        string reason;
        if (claim.Balance < claim.EscalationThreshold)
        {
            best = null;
            reason = $"the balance {Money(claim.Balance, claim.Currency)} is below the escalation threshold {Money(claim.EscalationThreshold, claim.Currency)}";
        }
        else if (best is null)
        {
            reason = figures.Any(f => f.Eligible && f.Route != LitigationRoute.WriteOff)
                ? $"no route is worth its cost on a claim of {Money(total, claim.Currency)}: written off as uneconomic"
                : "the creditor uses no route this claim can take: written off";
        }
        else
        {
            var next = figures.Where(f => f.Eligible && f != best && f.Route != LitigationRoute.WriteOff).MaxBy(f => f.ExpectedNet);
            reason = $"{Wire(best.Route)} is expected to bring {Money(best.ExpectedNet, claim.Currency)} net on a claim of {Money(total, claim.Currency)}"
                + (next is null ? string.Empty : $", more than {Wire(next.Route)} ({Money(next.ExpectedNet, claim.Currency)})");
        }

        var chosen = best ?? writeOff;
        return new LitigationDecision(chosen.Route, chosen.ExpectedNet, figures, reason, claim.Balance, indemnity, interest, total, trigger, decidedAt ?? default);
    }

    /// <summary>What a business debtor owes on top of the balance, when the creditor charges it; nothing for a consumer.</summary>
    public static (decimal Indemnity, decimal Interest) Extras(LitigationClaim claim, CreditorSettings settings)
    {
        if (claim.Kind != DebtorKind.Business)
        {
            return (0m, 0m);
        }

        var daysLate = claim.Today.DayNumber - claim.DueOn.DayNumber;
        var interest = settings.LateInterestRate is { } rate && rate > 0m && daysLate > 0
            ? Math.Round(claim.Balance * rate / 100m * daysLate / 365m, 2, MidpointRounding.AwayFromZero)
            : 0m;
        return (settings.RecoveryIndemnity ? Messaging.Charges.RecoveryIndemnity : 0m, interest);
    }

    private static RouteFigures Figures(LitigationRoute route, LitigationClaim claim, decimal total, LitigationSettings settings, LitigationHistory history)
    {
        var terms = settings.For(route);
        var record = history.For(route);
        var fromHistory = record.Outcomes >= LitigationSettings.HistoryThreshold;
        var rate = fromHistory ? record.Rate : terms.RecoveryRate!.Value;
        var cost = terms.Cost!.Value;
        var net = Math.Round((total - cost) * rate, 2, MidpointRounding.AwayFromZero);
        var reason = !terms.Enabled ? "the creditor does not use this route"
            : route == LitigationRoute.SmallClaims && claim.Balance > SmallClaimsLimit ? $"the balance is over the {Money(SmallClaimsLimit, "EUR")} the procedure takes"
            : null;
        return new RouteFigures(route, reason is null, cost, terms.ExpectedDelayDays!.Value, rate, fromHistory ? "history" : "settings", net, reason);
    }

    /// <summary>The route as the API spells it.</summary>
    public static string Wire(LitigationRoute route) => route switch
    {
        LitigationRoute.SmallClaims => "small_claims",
        LitigationRoute.PaymentOrder => "payment_order",
        _ => "write_off",
    };

    private static string Money(decimal amount, string currency) => string.Create(CultureInfo.InvariantCulture, $"{amount:0.00} {currency}");
}
