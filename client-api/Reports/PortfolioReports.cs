using System.Globalization;

namespace Recouvrement.Api.Reports;

/// <summary>Two shares of the same thing: of the amount (money) and of the count (cases or payments).</summary>
public sealed record Rates(decimal Amount, decimal Cases);

/// <summary>Cases in one status, or at one stage: how many, what they were fed for, what was paid, what is left.</summary>
public sealed record StandingGroup(string? Status, int? Stage, long Cases, decimal Amount, decimal Paid, decimal Balance);

/// <summary>Cases whose highest stage reached is <c>stage</c> or more, and their share of all cases (stage 0: every case fed).</summary>
public sealed record FunnelStep(int Stage, long Reached, decimal Share);

/// <summary>
/// The portfolio as it stands: every case fed, what they were fed for, what was recovered on them, the open ones
/// (every status but <c>paid</c> and <c>closed</c>) and what they still owe, the rates, and the cases by status, by stage
/// and by highest stage reached.
/// </summary>
public sealed record PortfolioFigures(
    long Cases, decimal Amount, decimal Recovered, long OpenCases, decimal Outstanding, long PaidCases, Rates RecoveryRate,
    IReadOnlyList<StandingGroup> ByStatus, IReadOnlyList<StandingGroup> ByStage, IReadOnlyList<FunnelStep> Funnel);

/// <summary>Payments recorded in one month of the period (<c>yyyy-MM</c>).</summary>
public sealed record MonthRecovered(string Month, long Payments, decimal Recovered);

/// <summary>Payments by channel of the last message the case got before them (<c>none</c>: paid before any message).</summary>
public sealed record ChannelRecovered(string Channel, long Payments, decimal Recovered, decimal Share);

/// <summary>
/// What happened in the period (days in Paris time, both included): the payments recorded, by month and by channel,
/// and the cases paid in full, with the days from intake to payment in full (null without any). Payments count by
/// day; cases paid in full count by month: those of every month the period touches (a period from the 10th counts the
/// cases paid in full since the 1st).
/// </summary>
public sealed record PeriodFigures(
    DateOnly From, DateOnly To, long Payments, decimal Recovered, long PaidCases, double? AverageDaysToPay, double? MedianDaysToPay,
    IReadOnlyList<MonthRecovered> ByMonth, IReadOnlyList<ChannelRecovered> ByChannel);

/// <summary><c>GET /api/v1/reports/summary</c>: the portfolio as it stands and the period's results, in one currency.</summary>
public sealed record SummaryReport(string Currency, DateOnly Today, PortfolioFigures Portfolio, PeriodFigures Period);

/// <summary>
/// A recovery curve's point: the amount recovered on the cohort's cases within <c>day</c> days of their intake, and its
/// share of the amount fed. <c>complete</c> is false while some of the cohort's cases are younger than that.
/// </summary>
public sealed record CurvePoint(int Day, decimal Recovered, decimal Share, bool Complete);

/// <summary>The cases fed in one month (<c>yyyy-MM</c>, Paris time): how many, for how much, what was recovered, and the curve.</summary>
public sealed record Cohort(string Month, long Cases, decimal Amount, decimal Recovered, IReadOnlyList<CurvePoint> Points);

/// <summary><c>GET /api/v1/reports/cohorts</c>: the recovery curves of each intake month, oldest first, in one currency.</summary>
public sealed record CohortsReport(string Currency, string By, DateOnly Today, IReadOnlyList<int> Days, IReadOnlyList<Cohort> Cohorts);

/// <summary>Builds the reports from the counters' cells (<see cref="ReportFigures"/>). Pure: the same cells give the same report.</summary>
public static class PortfolioReports
{
    /// <summary>The days after intake the recovery curves have a point at.</summary>
    public static IReadOnlyList<int> CurveDays { get; } = [7, 14, 30, 60, 90];

    /// <summary>The cells the summary reads.</summary>
    public static IReadOnlyList<CounterRange> SummaryRanges(DateOnly from, DateOnly to) =>
    [
        CounterRange.Undated(ReportFigures.Status), CounterRange.Undated(ReportFigures.Reached),
        new(ReportFigures.Payments, from, to), new(ReportFigures.DaysToPay, MonthOf(from), to),
    ];

    /// <summary>The first day of the month of a day.</summary>
    public static DateOnly MonthOf(DateOnly day) => new(day.Year, day.Month, 1);

    /// <summary>The cells the cohorts read.</summary>
    public static IReadOnlyList<CounterRange> CohortRanges { get; } =
        [new(ReportFigures.Intake, DateOnly.MinValue, DateOnly.MaxValue), new(ReportFigures.Recovery, DateOnly.MinValue, DateOnly.MaxValue)];

    public static SummaryReport Summary(string currency, DateOnly today, DateOnly from, DateOnly to, IReadOnlyList<Counter> cells)
    {
        var standing = cells.Where(c => c.Key.Figure == ReportFigures.Status && c.Count != 0).ToList();
        var cases = standing.Sum(c => c.Count);
        var amount = standing.Sum(c => c.Amount);
        var recovered = standing.Sum(c => c.Paid);
        var open = standing.Where(c => CaseStatuses.TryParse(c.Key.Label) is { } s && !s.IsFinal()).ToList();
        var paidCases = standing.Where(c => c.Key.Label == CaseStatuses.Wire(CaseStatus.Paid)).Sum(c => c.Count);
        var byStatus = standing.GroupBy(c => c.Key.Label)
            .Select(g => new StandingGroup(g.Key, null, g.Sum(c => c.Count), g.Sum(c => c.Amount), g.Sum(c => c.Paid), g.Sum(c => c.Balance)))
            .OrderBy(g => StatusRank(g.Status!)).ToList();
        var byStage = standing.GroupBy(c => c.Key.N)
            .Select(g => new StandingGroup(null, g.Key, g.Sum(c => c.Count), g.Sum(c => c.Amount), g.Sum(c => c.Paid), g.Sum(c => c.Balance)))
            .OrderBy(g => g.Stage).ToList();

        var reached = cells.Where(c => c.Key.Figure == ReportFigures.Reached && c.Count != 0).ToDictionary(c => c.Key.N, c => c.Count);
        var top = reached.Count == 0 ? 0 : reached.Keys.Max();
        var funnel = Enumerable.Range(0, top + 1)
            .Select(stage => reached.Where(r => r.Key >= stage).Sum(r => r.Value))
            .Select((count, stage) => new FunnelStep(stage, count, Share(count, cases))).ToList();

        var payments = cells.Where(c => c.Key.Figure == ReportFigures.Payments && c.Key.Day >= from && c.Key.Day <= to).ToList();
        var periodRecovered = payments.Sum(c => c.Amount);
        var byMonth = payments.GroupBy(c => new DateOnly(c.Key.Day.Year, c.Key.Day.Month, 1)).OrderBy(g => g.Key)
            .Select(g => new MonthRecovered(Month(g.Key), g.Sum(c => c.Count), g.Sum(c => c.Amount))).ToList();
        var byChannel = payments.GroupBy(c => c.Key.Label)
            .Select(g => new ChannelRecovered(g.Key, g.Sum(c => c.Count), g.Sum(c => c.Amount), Share(g.Sum(c => c.Amount), periodRecovered)))
            .OrderByDescending(c => c.Recovered).ThenBy(c => c.Channel, StringComparer.Ordinal).ToList();

        var days = cells.Where(c => c.Key.Figure == ReportFigures.DaysToPay && c.Key.Day >= MonthOf(from) && c.Key.Day <= to)
            .GroupBy(c => c.Key.N).Select(g => (Days: g.Key, Count: g.Sum(c => c.Count))).Where(d => d.Count > 0).OrderBy(d => d.Days).ToList();
        var paidInPeriod = days.Sum(d => d.Count);

        return new SummaryReport(currency, today,
            new PortfolioFigures(cases, amount, recovered, open.Sum(c => c.Count), open.Sum(c => c.Balance), paidCases,
                new Rates(Share(recovered, amount), Share(paidCases, cases)), byStatus, byStage, funnel),
            new PeriodFigures(from, to, payments.Sum(c => c.Count), periodRecovered, paidInPeriod,
                paidInPeriod == 0 ? null : Math.Round((double)days.Sum(d => (decimal)d.Days * d.Count) / paidInPeriod, 1),
                Median(days), byMonth, byChannel));
    }

    public static CohortsReport Cohorts(string currency, DateOnly today, IReadOnlyList<Counter> cells)
    {
        var recovery = cells.Where(c => c.Key.Figure == ReportFigures.Recovery).ToLookup(c => c.Key.Day);
        var cohorts = cells.Where(c => c.Key.Figure == ReportFigures.Intake && c.Count != 0).GroupBy(c => c.Key.Day).OrderBy(g => g.Key)
            .Select(g =>
            {
                var fed = g.Sum(c => c.Amount);
                var paid = recovery[g.Key].ToList();
                var lastIntake = g.Key.AddMonths(1).AddDays(-1);
                var points = CurveDays.Select(day =>
                {
                    var within = paid.Where(c => c.Key.N <= day).Sum(c => c.Amount);
                    return new CurvePoint(day, within, Share(within, fed), lastIntake.AddDays(day) <= today);
                }).ToList();
                return new Cohort(Month(g.Key), g.Sum(c => c.Count), fed, paid.Sum(c => c.Amount), points);
            })
            .ToList();
        return new CohortsReport(currency, "month", today, CurveDays, cohorts);
    }

    /// <summary>A share to four decimals; 0 of nothing.</summary>
    public static decimal Share(decimal part, decimal whole) => whole == 0 ? 0m : decimal.Round(part / whole, 4, MidpointRounding.AwayFromZero);

    /// <summary>The median of a histogram of days (the mean of the two middle values for an even count), to a tenth.</summary>
    public static double? Median(IReadOnlyList<(int Days, long Count)> histogram)
    {
        var total = histogram.Sum(h => h.Count);
        if (total == 0)
        {
            return null;
        }

        double At(long rank)
        {
            var seen = 0L;
            foreach (var (days, count) in histogram)
            {
                seen += count;
                if (rank < seen)
                {
                    return days;
                }
            }

            return histogram[^1].Days;
        }

        return total % 2 == 1 ? At(total / 2) : Math.Round((At(total / 2 - 1) + At(total / 2)) / 2, 1);
    }

    private static string Month(DateOnly day) => day.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static int StatusRank(string status) => CaseStatuses.TryParse(status) is { } s ? (int)s : int.MaxValue;
}
