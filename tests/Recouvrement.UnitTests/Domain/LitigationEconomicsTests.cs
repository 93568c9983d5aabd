namespace Recouvrement.Tests.Domain;

/// <summary>Which legal route a claim is worth: the expected net of each route with the default costs, a business's extras, and the creditor's own history.</summary>
public class LitigationEconomicsTests
{
    private static readonly DateOnly DueOn = new(2026, 11, 3);
    private static readonly DateOnly Today = new(2026, 12, 10); // D+37, the default final decision: 37 days late

    private static readonly CreditorSettings ChargesBusinesses = CreditorSettings.None with { RecoveryIndemnity = true, LateInterestRate = 10m };

    private static LitigationHistory SmallClaimsHistory(int outcomes, decimal handedOver, decimal recovered) =>
        new(SmallClaims: new RouteRecord(outcomes, handedOver, recovered));

    public static TheoryData<string, decimal, DebtorKind, CreditorSettings, LitigationHistory, LitigationRoute, decimal> Claims => new()
    {
        // (42 − 50) × 0.45 and (42 − 120) × 0.40 are both negative.
        { "a consumer's 42 EUR is written off with the default costs", 42m, DebtorKind.Consumer, CreditorSettings.None, LitigationHistory.None, LitigationRoute.WriteOff, 0m },

        // 42 + 40 indemnity + 0.43 interest (10 % a year over 37 days) = 82.43: (82.43 − 50) × 0.45 = 14.59.
        { "a business's 42 EUR with the indemnity is worth the small claims", 42m, DebtorKind.Business, ChargesBusinesses, LitigationHistory.None, LitigationRoute.SmallClaims, 14.59m },

        // Without the creditor charging them, the business owes no extras: the same as a consumer.
        { "a business's 42 EUR without charges is written off", 42m, DebtorKind.Business, CreditorSettings.None, LitigationHistory.None, LitigationRoute.WriteOff, 0m },

        // A consumer is never charged the indemnity, whatever the creditor sets.
        { "a consumer's 42 EUR stays written off when businesses are charged", 42m, DebtorKind.Consumer, ChargesBusinesses, LitigationHistory.None, LitigationRoute.WriteOff, 0m },

        // (4,900 − 50) × 0.45 = 2,182.50 against (4,900 − 120) × 0.40 = 1,912.00.
        { "a consumer's 4,900 EUR goes to the small claims", 4_900m, DebtorKind.Consumer, CreditorSettings.None, LitigationHistory.None, LitigationRoute.SmallClaims, 2_182.50m },

        // Over 5,000 EUR the small claims are out: (6,000 − 120) × 0.40 = 2,352.00.
        { "6,000 EUR goes to a payment order", 6_000m, DebtorKind.Consumer, CreditorSettings.None, LitigationHistory.None, LitigationRoute.PaymentOrder, 2_352.00m },

        // 99 outcomes are not enough: the settings' 45 % still holds.
        { "a history of 99 outcomes leaves the settings' rate", 4_900m, DebtorKind.Consumer, CreditorSettings.None, SmallClaimsHistory(99, 10_000m, 500m), LitigationRoute.SmallClaims, 2_182.50m },

        // 100 outcomes recovering 5 %: (4,900 − 50) × 0.05 = 242.50, less than the payment order's 1,912.00.
        { "a history of 100 poor outcomes turns 4,900 EUR to a payment order", 4_900m, DebtorKind.Consumer, CreditorSettings.None, SmallClaimsHistory(100, 10_000m, 500m), LitigationRoute.PaymentOrder, 1_912.00m },

        // A creditor whose small claims recover 90 %: (45 − 50) is still negative, (80 − 50) × 0.9 = 27.00.
        { "a history of good outcomes makes 80 EUR worth the small claims", 80m, DebtorKind.Consumer, CreditorSettings.None, SmallClaimsHistory(150, 10_000m, 9_000m), LitigationRoute.SmallClaims, 27.00m },
        { "without that history 80 EUR is worth it too, for less", 80m, DebtorKind.Consumer, CreditorSettings.None, LitigationHistory.None, LitigationRoute.SmallClaims, 13.50m },

        // A creditor that does not use the small claims: 4,900 EUR goes to a payment order.
        { "a disabled route is never chosen", 4_900m, DebtorKind.Consumer, CreditorSettings.None with { Litigation = new(SmallClaims: new RouteTerms(Enabled: false)) },
            LitigationHistory.None, LitigationRoute.PaymentOrder, 1_912.00m },

        // Its own costs: a payment order at 30 EUR and 60 % beats the small claims on 200 EUR: (200 − 30) × 0.6 = 102.00 > 67.50.
        { "the creditor's own costs change the answer", 200m, DebtorKind.Consumer, CreditorSettings.None with { Litigation = new(PaymentOrder: new RouteTerms(Cost: 30m, RecoveryRate: 0.6m)) },
            LitigationHistory.None, LitigationRoute.PaymentOrder, 102.00m },
    };

    [Theory]
    [MemberData(nameof(Claims))]
    public void The_best_route_is_the_one_with_the_highest_positive_expected_net(
        string claim, decimal balance, DebtorKind kind, CreditorSettings settings, LitigationHistory history, LitigationRoute route, decimal expectedNet)
    {
        var decision = LitigationEconomics.Decide(new LitigationClaim(balance, "EUR", kind, DueOn, Today, 40m), new LitigationTerms(settings, history));
        Assert.True(route == decision.Route, $"{claim}: {decision.Route} ({decision.Reason})");
        Assert.Equal(expectedNet, decision.ExpectedNet);
        Assert.Equal([LitigationRoute.SmallClaims, LitigationRoute.PaymentOrder, LitigationRoute.WriteOff], decision.Alternatives.Select(a => a.Route));
    }

    [Fact]
    public void The_decision_records_every_route_with_its_figures_and_the_reason()
    {
        var decision = LitigationEconomics.Decide(new LitigationClaim(42m, "EUR", DebtorKind.Business, DueOn, Today, 40m), new LitigationTerms(ChargesBusinesses, LitigationHistory.None));

        Assert.Equal((40m, 0.43m, 82.43m), (decision.Indemnity, decision.Interest, decision.Claim));
        Assert.Equal(
        [
            new RouteFigures(LitigationRoute.SmallClaims, true, 50m, 90, 0.45m, "settings", 14.59m),
            new RouteFigures(LitigationRoute.PaymentOrder, true, 120m, 180, 0.40m, "settings", -15.03m),
            new RouteFigures(LitigationRoute.WriteOff, true, 0m, 0, 0m, "settings", 0m),
        ], decision.Alternatives);
        Assert.Equal("small_claims is expected to bring 14.59 EUR net on a claim of 82.43 EUR, more than payment_order (-15.03 EUR)", decision.Reason);
    }

    [Fact]
    public void The_small_claims_are_out_over_5000_EUR_and_say_why()
    {
        var decision = LitigationEconomics.Decide(new LitigationClaim(5_000.01m, "EUR", DebtorKind.Consumer, DueOn, Today, 40m), LitigationTerms.Default);
        var small = decision.Alternatives[0];
        Assert.False(small.Eligible);
        Assert.Equal("the balance is over the 5000.00 EUR the procedure takes", small.Reason);
        Assert.Equal(LitigationRoute.PaymentOrder, decision.Route);
        Assert.True(LitigationEconomics.Decide(new LitigationClaim(5_000m, "EUR", DebtorKind.Consumer, DueOn, Today, 40m), LitigationTerms.Default).Alternatives[0].Eligible);
    }

    [Fact]
    public void A_rate_from_history_says_so()
    {
        var decision = LitigationEconomics.Decide(new LitigationClaim(4_900m, "EUR", DebtorKind.Consumer, DueOn, Today, 40m),
            new LitigationTerms(CreditorSettings.None, SmallClaimsHistory(100, 10_000m, 500m)));
        Assert.Equal(("history", 0.05m), (decision.Alternatives[0].RateSource, decision.Alternatives[0].RecoveryRate));
        Assert.Equal(("settings", 0.40m), (decision.Alternatives[1].RateSource, decision.Alternatives[1].RecoveryRate));
    }

    [Fact]
    public void A_balance_below_the_policy_threshold_is_written_off_whatever_the_figures()
    {
        var decision = LitigationEconomics.Decide(new LitigationClaim(300m, "EUR", DebtorKind.Consumer, DueOn, Today, 500m), LitigationTerms.Default);
        Assert.Equal(LitigationRoute.WriteOff, decision.Route);
        Assert.Equal("the balance 300.00 EUR is below the escalation threshold 500.00 EUR", decision.Reason);
    }
}
