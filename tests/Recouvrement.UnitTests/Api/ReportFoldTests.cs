using Recouvrement.Api.Reports;
using Recouvrement.Events;

namespace Recouvrement.Tests.Api;

/// <summary>How a case's events become report counters: once each, whatever arrives twice, and in any order between cases.</summary>
public sealed class ReportFoldTests
{
    private static readonly DateTimeOffset Intake = new(2026, 10, 5, 9, 0, 0, TimeSpan.Zero);

    private static CaseSummary Summary(string reference, CaseStatus status, int stage, decimal paid, long sequence, int day) => new(
        reference, "D-" + reference, status, stage, 50m, paid, 50m - paid, "EUR", new(2026, 9, 1), new(2026, 10, 1),
        null, null, "x", Intake, Intake.AddDays(day), sequence);

    private static EngineEvent Event(string reference, string type, long sequence, int day, string data, CaseStatus status = CaseStatus.Active, int stage = 0, decimal paid = 0m) =>
        new($"evt-{reference}-{sequence}", type, "lab", reference, "D-" + reference, Intake.AddDays(day), sequence, data, Summary(reference, status, stage, paid, sequence, day));

    /// <summary>A case fed, reminded by SMS at stage 1, paid in part on day 9 then in full on day 12.</summary>
    private static IReadOnlyList<EngineEvent> Life(string reference) =>
    [
        Event(reference, EventTypes.Created, 1, 0, """{"amount":50.00}"""),
        Event(reference, EventTypes.Contacted, 2, 1, """{"channel":"sms","stage":1}""", stage: 1),
        Event(reference, EventTypes.PaymentReceived, 3, 9, """{"amount":20.00}""", stage: 1, paid: 20m),
        Event(reference, EventTypes.PaymentReceived, 4, 12, """{"amount":30.00}""", CaseStatus.Paid, 1, 50m),
        Event(reference, EventTypes.Paid, 5, 12, """{"paid":50.00}""", CaseStatus.Paid, 1, 50m),
    ];

    private static Dictionary<CounterKey, Counter> Count(IEnumerable<(string Reference, IReadOnlyList<EngineEvent> Events)> deliveries)
    {
        var tallies = new Dictionary<string, CaseTally>();
        var cells = new Dictionary<CounterKey, Counter>();
        foreach (var (reference, events) in deliveries)
        {
            var (tally, changes) = ReportFold.Apply(tallies.GetValueOrDefault(reference, CaseTally.None), events);
            tallies[reference] = tally;
            foreach (var change in changes)
            {
                cells[change.Key] = cells.TryGetValue(change.Key, out var held) ? held.Plus(change) : change;
            }
        }

        return cells.Where(c => c.Value is not { Count: 0, Amount: 0, Paid: 0, Balance: 0 }).ToDictionary();
    }

    private static string Show(Dictionary<CounterKey, Counter> cells) => string.Join("\n", cells.Values
        .OrderBy(c => c.Key.Figure, StringComparer.Ordinal).ThenBy(c => c.Key.Day).ThenBy(c => c.Key.Label, StringComparer.Ordinal).ThenBy(c => c.Key.N)
        .Select(c => FormattableString.Invariant($"{c.Key.Figure} {c.Key.Day:yyyy-MM-dd} {c.Key.Label} {c.Key.N}: {c.Count} {c.Amount} {c.Paid} {c.Balance}")));

    [Fact]
    public void A_case_s_life_is_counted_by_intake_payment_day_channel_and_stage()
    {
        var life = Life("A");
        Assert.Equal("""
            days_to_pay 2026-10-01  12: 1 0 0 0
            intake 2026-10-01  0: 1 50 0 0
            payments 2026-10-14 sms 0: 1 20.00 0 0
            payments 2026-10-17 sms 0: 1 30.00 0 0
            reached 2000-01-01  1: 1 0 0 0
            recovery 2026-10-01  9: 1 20.00 0 0
            recovery 2026-10-01  12: 1 30.00 0 0
            status 2000-01-01 paid 1: 1 50 50 0
            """.ReplaceLineEndings("\n"), Show(Count([("A", life)])));
    }

    [Fact]
    public void Events_delivered_in_pieces_twice_and_mixed_with_another_case_s_count_as_once()
    {
        var a = Life("A");
        var b = Life("B");
        var once = Count([("A", a), ("B", b)]);
        var messy = Count(
        [
            ("B", [b[0], b[1]]), ("A", [a[0]]), ("A", [a[0], a[1], a[2]]), ("B", [b[1]]), ("A", [a[4], a[3]]), ("A", [a[2]]),
            ("B", [b[2], b[3], b[4], b[0]]), ("B", [b[4]]),
        ]);
        Assert.Equal(Show(once), Show(messy));
    }

    [Fact]
    public void A_case_moves_from_one_status_cell_to_the_next_and_leaves_none_behind()
    {
        var a = Life("A");
        var cells = Count([("A", [a[0]]), ("A", [a[1]]), ("A", [a[2]])]);
        var status = Assert.Single(cells.Values, c => c.Key.Figure == ReportFigures.Status);
        Assert.Equal(("active", 1, 1L, 20m, 30m), (status.Key.Label, status.Key.N, status.Count, status.Paid, status.Balance));
        Assert.Equal(1, Assert.Single(cells.Values, c => c.Key.Figure == ReportFigures.Reached).Key.N);
    }

    [Fact]
    public void Payments_in_events_that_never_came_are_counted_from_the_paid_total_on_the_day_after_the_gap()
    {
        // The batch with the SMS and the first payment was never written; the later events came, then it came again.
        var a = Life("A");
        var cells = Count([("A", [a[0]]), ("A", [a[3], a[4]]), ("A", [a[1], a[2]])]);
        var payments = cells.Values.Where(c => c.Key.Figure == ReportFigures.Payments).ToList();
        Assert.Equal((2L, 50.00m), (payments.Sum(c => c.Count), payments.Sum(c => c.Amount)));
        Assert.Equal([new DateOnly(2026, 10, 17)], payments.Select(c => c.Key.Day).Distinct());
        Assert.Equal(50.00m, cells.Values.Where(c => c.Key.Figure == ReportFigures.Recovery).Sum(c => c.Amount));
        Assert.Equal(1L, Assert.Single(cells.Values, c => c.Key.Figure == ReportFigures.DaysToPay).Count);
        var standing = Assert.Single(cells.Values, c => c.Key.Figure == ReportFigures.Status);
        Assert.Equal(("paid", 50m), (standing.Key.Label, standing.Paid));
    }

    [Theory]
    [InlineData(new int[0], new long[0], null)]
    [InlineData(new[] { 4 }, new long[] { 1 }, 4.0)]
    [InlineData(new[] { 3, 10, 45 }, new long[] { 1, 1, 1 }, 10.0)]
    [InlineData(new[] { 10, 45 }, new long[] { 1, 1 }, 27.5)]
    [InlineData(new[] { 1, 2, 9 }, new long[] { 3, 1, 2 }, 1.5)]
    public void The_median_of_a_histogram_of_days_is_its_middle_value(int[] days, long[] counts, double? median) =>
        Assert.Equal(median, PortfolioReports.Median([.. days.Zip(counts)]));
}
