using System.Globalization;
using Recouvrement.Api.Access;
using Recouvrement.Api.Cases;
using Recouvrement.Calendar;

namespace Recouvrement.Api.Reports;

/// <summary>
/// The creditor's reports: <c>GET /api/v1/reports/summary</c> and <c>/reports/cohorts</c>, read from the counters the
/// projection keeps (a few hundred cells, however many cases); <c>/reports/variants</c>, how each policy variant does,
/// read from the creditor's durable event log.
/// </summary>
public static class ReportsApi
{
    /// <summary>Events read from the log per query: large pages, so that a long log is read in few round trips.</summary>
    private const int Page = 5_000;

    public static RouteGroupBuilder MapReportsApi(this RouteGroupBuilder api)
    {
        var reports = api.MapGroup("/reports").WithTags("Reports");
        reports.MapGet("/summary", Summary).WithName("getSummaryReport")
            .WithSummary("The portfolio as it stands (cases, amounts, open cases and outstanding, recovery rates, by status, by stage, funnel of stages reached) and the period's payments (by month, by channel of the last message) and days from intake to payment in full")
            .ProducesProblems(StatusCodes.Status400BadRequest);
        reports.MapGet("/cohorts", Cohorts).WithName("getCohortsReport")
            .WithSummary("Recovery curves by intake month: the share of the amount fed recovered within 7, 14, 30, 60 and 90 days of intake")
            .ProducesProblems(StatusCodes.Status400BadRequest);
        reports.MapGet("/variants", Variants).WithName("getVariantsReport")
            .WithSummary("Per policy variant: debtors, cases, amounts recovered, days to payment, messages and their cost, disputes, opt-outs, and the p-value of the difference in paid cases against the champion");
        return api;
    }

    /// <summary>The currency a report is in when none is asked for.</summary>
    public const string DefaultCurrency = "EUR";

    /// <param name="from">First day of the period (Paris time), <c>yyyy-MM-dd</c>; default: the first of the current month.</param>
    /// <param name="to">Last day of the period, included; default: today.</param>
    /// <param name="currency">The currency of the cases counted; default <c>EUR</c>.</param>
    public static async Task<Results<Ok<SummaryReport>, ProblemHttpResult>> Summary(
        HttpContext context, IReportCounters counters, [FromKeyedServices(EngineClock.Key)] TimeProvider clock,
        string? from, string? to, string? currency, CancellationToken cancellationToken)
    {
        var today = ParisTime.DateOf(clock.GetUtcNow());
        var errors = new List<FieldError>();
        var first = Day(from, "from", errors) ?? new DateOnly(today.Year, today.Month, 1);
        var last = Day(to, "to", errors) ?? today;
        if (errors.Count == 0 && first > last)
        {
            errors.Add(new("to", "on or after from"));
        }

        var money = Currency(currency, errors);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        return TypedResults.Ok(await SummaryAsync(counters, CreditorKeyFilter.CreditorOf(context), money, today, first, last, cancellationToken));
    }

    /// <param name="by">How cases are grouped into cohorts: <c>month</c> (of intake, Paris time), the only grouping so far.</param>
    /// <param name="currency">The currency of the cases counted; default <c>EUR</c>.</param>
    public static async Task<Results<Ok<CohortsReport>, ProblemHttpResult>> Cohorts(
        HttpContext context, IReportCounters counters, [FromKeyedServices(EngineClock.Key)] TimeProvider clock,
        string? by, string? currency, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        if (by is not null and not "month")
        {
            errors.Add(new("by", "month"));
        }

        var money = Currency(currency, errors);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        return TypedResults.Ok(await CohortsAsync(counters, CreditorKeyFilter.CreditorOf(context), money, ParisTime.DateOf(clock.GetUtcNow()), cancellationToken));
    }

    /// <summary>The summary of one creditor's cases in one currency (the API's and the console's).</summary>
    public static async Task<SummaryReport> SummaryAsync(IReportCounters counters, string creditorId, string currency, DateOnly today, DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        PortfolioReports.Summary(currency, today, from, to, await counters.ReadAsync(creditorId, currency, PortfolioReports.SummaryRanges(from, to), cancellationToken));

    /// <summary>The recovery curves of one creditor's intake months in one currency.</summary>
    public static async Task<CohortsReport> CohortsAsync(IReportCounters counters, string creditorId, string currency, DateOnly today, CancellationToken cancellationToken) =>
        PortfolioReports.Cohorts(currency, today, await counters.ReadAsync(creditorId, currency, PortfolioReports.CohortRanges, cancellationToken));

    private static DateOnly? Day(string? text, string field, List<FieldError> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        errors.Add(new(field, "a date, YYYY-MM-DD"));
        return null;
    }

    private static string Currency(string? currency, List<FieldError> errors)
    {
        if (currency is null)
        {
            return DefaultCurrency;
        }

        if (currency.Length == 3 && currency.All(char.IsAsciiLetterUpper))
        {
            return currency;
        }

        errors.Add(new("currency", "an ISO 4217 code in capitals, e.g. EUR"));
        return DefaultCurrency;
    }

    public static async Task<Ok<VariantsReport>> Variants(HttpContext context, IGrainFactory grains, IEventLog log, CancellationToken cancellationToken)
    {
        var creditorId = CreditorKeyFilter.CreditorOf(context);
        var creditor = grains.Reference<ICreditorGrain>(creditorId);
        var policy = await creditor.GetPolicy();
        var settings = await creditor.GetSettings();

        var tally = new VariantTally();
        var cursor = EventCursor.Start;
        while (true)
        {
            var page = await log.ReadAsync(creditorId, cursor, VariantTally.Types, Page, cancellationToken);
            foreach (var stored in page)
            {
                tally.Add(stored.Event);
            }

            if (page.Count < Page)
            {
                break;
            }

            cursor = page[^1].Cursor;
        }

        return TypedResults.Ok(tally.Report(policy.Champion?.Name, settings.ChannelCosts));
    }
}
