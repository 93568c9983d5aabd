using Recouvrement.Api.Reports;
using Recouvrement.Events;

namespace Recouvrement.Tests.Api;

/// <summary>The variants report: the significance test against known values, and the tally of a creditor's events.</summary>
public class VariantReportTests
{
    [Theory]
    // Reference values: the pooled two-sided test, as R's prop.test(c(x1, x2), c(n1, n2), correct = FALSE) gives them.
    [InlineData(120, 1000, 150, 1000, 0.049640)]
    [InlineData(400, 1000, 460, 1000, 0.006729)]
    [InlineData(5, 50, 20, 50, 0.000532)]
    [InlineData(2000, 10000, 2100, 10000, 0.079850)]
    [InlineData(30, 100, 30, 100, 1.0)]
    public void The_p_value_of_two_shares_is_the_pooled_two_proportion_test_s(long x1, long n1, long x2, long n2, double expected)
    {
        var p = TwoProportionTest.PValue(x1, n1, x2, n2)!.Value;
        Assert.True(Math.Abs(p - expected) <= Math.Max(2e-6, expected * 1e-3), $"p = {p}, expected {expected}");
        Assert.Equal(p, TwoProportionTest.PValue(x2, n2, x1, n1)!.Value, 12);
    }

    [Theory]
    [InlineData(0, 0, 3, 10)]
    [InlineData(0, 10, 0, 10)]
    [InlineData(10, 10, 20, 20)]
    [InlineData(11, 10, 2, 20)]
    public void No_p_value_where_no_test_can_tell(long x1, long n1, long x2, long n2) =>
        Assert.Null(TwoProportionTest.PValue(x1, n1, x2, n2));

    private static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private long _sequence;

    private EngineEvent Event(string type, string? @case, string debtor, int day, string data, string? variant = null, decimal amount = 40m) =>
        new($"ev{++_sequence}", type, "lab", @case, debtor, Start.AddDays(day), _sequence, data,
            type == EventTypes.Created
                ? new CaseSummary(@case!, debtor, CaseStatus.Active, 0, amount, 0, amount, "EUR", new DateOnly(2026, 10, 1), new DateOnly(2026, 11, 1),
                    null, null, type, Start, Start, 1, variant)
                : null);

    [Fact]
    public void Each_variant_counts_its_debtors_cases_money_messages_once_each_and_the_champion_comes_first()
    {
        var tally = new VariantTally();
        var events = new[]
        {
            // Champion: one debtor with two cases, reminded together in one e-mail then one SMS, both paid on day 10.
            Event(EventTypes.Created, "C1", "D1", 0, "{}", "champion"),
            Event(EventTypes.Created, "C2", "D1", 0, "{}", "champion", amount: 60m),
            Event(EventTypes.Contacted, "C1", "D1", 1, """{"channel":"email","stage":1,"messageId":"m1"}"""),
            Event(EventTypes.Contacted, "C2", "D1", 1, """{"channel":"email","stage":1,"messageId":"m1"}"""),
            Event(EventTypes.Contacted, "C1", "D1", 8, """{"channel":"sms","stage":2,"messageId":"m2"}"""),
            Event(EventTypes.Contacted, "C2", "D1", 8, """{"channel":"sms","stage":2,"messageId":"m2"}"""),
            Event(EventTypes.PaymentReceived, "C1", "D1", 10, """{"amount":40.00}"""),
            Event(EventTypes.Paid, "C1", "D1", 10, "{}"),
            Event(EventTypes.PaymentReceived, "C2", "D1", 12, """{"amount":60.00}"""),
            Event(EventTypes.Paid, "C2", "D1", 12, "{}"),
            // Challenger: a formal notice by post (registered) and an ordinary letter; a dispute, an SMS opt-out, a part payment.
            Event(EventTypes.Created, "C3", "D2", 0, "{}", "letters"),
            Event(EventTypes.Created, "C4", "D3", 0, "{}", "letters"),
            Event(EventTypes.Contacted, "C3", "D2", 3, """{"channel":"letter","stage":1,"messageId":"m3"}"""),
            Event(EventTypes.Contacted, "C3", "D2", 22, """{"channel":"letter","stage":2,"messageId":"m4"}"""),
            Event(EventTypes.FormalNoticeSent, "C3", "D2", 22, """{"channel":"letter","stage":2,"messageId":"m4"}"""),
            Event(EventTypes.PaymentReceived, "C3", "D2", 25, """{"amount":10.00}"""),
            Event(EventTypes.Disputed, "C4", "D3", 4, """{"reason":"not mine"}"""),
            Event(EventTypes.ContactPointChanged, null, "D3", 5, """{"channel":"sms","status":"opted_out","reason":"stop"}"""),
            // A case met before the policy had variants, and an event of a case the log never saw created.
            Event(EventTypes.Created, "C5", "D4", 0, "{}"),
            Event(EventTypes.Paid, "C0", "D0", 3, "{}"),
        };
        foreach (var e in events.Concat(events.Take(3))) // the first ones delivered twice change nothing
        {
            tally.Add(e);
        }

        var report = tally.Report("champion", new ChannelCosts(0.01m, 0.10m, 2.00m, 7.00m));

        Assert.Equal(["champion", "letters", null], report.Variants.Select(v => v.Variant));
        var champion = report.Variants[0];
        Assert.True(champion.Champion);
        Assert.Equal((1, 2, 100m, 100m, 1m, 2, 11.0), (champion.Debtors, champion.Cases, champion.Amount, champion.Recovered, champion.RecoveryRate, champion.PaidCases, champion.MedianDaysToPayment));
        Assert.Equal(new ChannelMessages(1, 1, 0, 0), champion.Messages);
        Assert.Equal((0.11m, 0.0011m, 0, 0), (champion.Cost, champion.CostPerEuroRecovered, champion.Disputes, champion.OptOuts));
        Assert.Null(champion.PValue);

        var letters = report.Variants[1];
        Assert.Equal((2, 2, 80m, 10m, 0.125m, 0, (double?)null), (letters.Debtors, letters.Cases, letters.Amount, letters.Recovered, letters.RecoveryRate, letters.PaidCases, letters.MedianDaysToPayment));
        Assert.Equal(new ChannelMessages(0, 0, 1, 1), letters.Messages);
        Assert.Equal((9.00m, 0.9m, 1, 1), (letters.Cost, letters.CostPerEuroRecovered, letters.Disputes, letters.OptOuts));
        Assert.Equal(TwoProportionTest.PValue(0, 2, 2, 2), letters.PValue);
        Assert.NotNull(letters.PValue);

        Assert.Equal((1, 0m, (decimal?)null), (report.Variants[2].Cases, report.Variants[2].Cost, report.Variants[2].CostPerEuroRecovered));
    }

    [Fact]
    public void Without_variants_every_case_is_in_one_group_with_no_champion_and_no_p_value()
    {
        var tally = new VariantTally();
        tally.Add(Event(EventTypes.Created, "C1", "D1", 0, "{}"));
        tally.Add(Event(EventTypes.Paid, "C1", "D1", 3, "{}"));

        var report = tally.Report(champion: null, ChannelCosts.Default);

        var only = Assert.Single(report.Variants);
        Assert.Equal((null, false, 1, 3.0, (double?)null), (only.Variant, only.Champion, only.PaidCases, only.MedianDaysToPayment, only.PValue));
    }

    [Fact]
    public void The_median_is_the_middle_value_or_the_mean_of_the_two_middle_ones()
    {
        Assert.Null(VariantTally.Median([]));
        Assert.Equal(5.0, VariantTally.Median([9, 5, 1]));
        Assert.Equal(4.5, VariantTally.Median([8, 1, 4, 5]));
    }
}
