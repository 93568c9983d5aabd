using Recouvrement.Api.Access;

namespace Recouvrement.Api.Reports;

/// <summary><c>GET /api/v1/reports/variants</c>: how each policy variant does, read from the creditor's durable event log.</summary>
public static class ReportsApi
{
    /// <summary>Events read from the log per query: large pages, so that a long log is read in few round trips.</summary>
    private const int Page = 5_000;

    public static RouteGroupBuilder MapReportsApi(this RouteGroupBuilder api)
    {
        var reports = api.MapGroup("/reports").WithTags("Reports");
        reports.MapGet("/variants", Variants).WithName("getVariantsReport")
            .WithSummary("Per policy variant: debtors, cases, amounts recovered, days to payment, messages and their cost, disputes, opt-outs, and the p-value of the difference in paid cases against the champion");
        return api;
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
