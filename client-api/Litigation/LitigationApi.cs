using System.Globalization;
using System.IO.Compression;
using System.Text;
using Recouvrement.Api.Access;
using Recouvrement.Api.Cases;
using Recouvrement.Litigation;

namespace Recouvrement.Api.Litigation;

/// <summary>
/// After the formal notice: the dossier of a case (<c>GET /api/v1/cases/{reference}/dossier</c>, PDF or JSON), the
/// escalated cases (<c>GET /api/v1/litigation</c>) and their hand-off to a partner as a ZIP of dossiers
/// (<c>GET /api/v1/litigation/export</c>), the creditor's approval of a route (<c>POST …/litigation</c>) and the
/// partner's outcome (<c>POST …/litigation/outcome</c>).
/// </summary>
public static class LitigationApi
{
    public static RouteGroupBuilder MapLitigationApi(this RouteGroupBuilder api)
    {
        var cases = api.MapGroup("/cases").WithTags("Litigation");
        cases.MapPost("/{reference}/litigation", ChooseRoute).WithName("chooseLitigationRoute")
            .WithSummary("Approve the hand-off of an escalated case on a route, or change the route (write_off closes the case)")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status415UnsupportedMediaType);
        cases.MapPost("/{reference}/litigation/outcome", RecordOutcome).WithName("recordLitigationOutcome")
            .WithSummary("The outcome of a handed-over case: it closes, and the outcome joins the creditor's history of the route")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status415UnsupportedMediaType);
        cases.MapGet("/{reference}/dossier", GetDossier).WithName("getDossier")
            .WithSummary("The litigation dossier of a case: PDF (the formal notice annexed), or JSON with ?format=json")
            .Produces<Stream>(StatusCodes.Status200OK, "application/pdf")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        var litigation = api.MapGroup("/litigation").WithTags("Litigation");
        litigation.MapGet("/", List).WithName("listLitigation")
            .WithSummary("Escalated cases with their route and hand-off status, filtered by route and status")
            .ProducesProblems(StatusCodes.Status400BadRequest);
        litigation.MapGet("/export", Export).WithName("exportLitigation")
            .WithSummary("A ZIP of the dossiers (PDF) of the matching cases with a CSV index; cases ready to go are marked handed over")
            .Produces<Stream>(StatusCodes.Status200OK, "application/zip")
            .ProducesProblems(StatusCodes.Status400BadRequest);
        return api;
    }

    /// <summary>At most this many dossiers in one export: the exported cases are handed over, so the next export takes the rest.</summary>
    public const int MaxExport = 200;

    /// <summary>An escalated case as the hand-off list shows it.</summary>
    public sealed record LitigationItem(
        string Reference, string DebtorReference, decimal Balance, string Currency, LitigationRoute Route, LitigationStatus Status,
        decimal? ExpectedNet, DateTimeOffset? DecidedAt, DateTimeOffset? HandedOverAt, string Dossier);

    /// <summary>The escalated cases that match, by reference.</summary>
    public sealed record LitigationList(IReadOnlyList<LitigationItem> Items);

    public static async Task<Results<FileContentHttpResult, Ok<Dossier>, ProblemHttpResult>> GetDossier(
        HttpContext context, IGrainFactory grains, string reference, string? format)
    {
        var creditor = CreditorKeyFilter.CreditorOf(context);
        var dossiers = grains.GetGrain<IDossierGrain>(0);
        switch (format)
        {
            case "json":
                return await dossiers.Get(creditor, reference) is { } dossier ? TypedResults.Ok(dossier) : Problems.NotFound($"no case '{reference}'");
            case null or "pdf":
                return await dossiers.Pdf(creditor, reference) is { } pdf
                    ? TypedResults.File(pdf, "application/pdf", $"dossier-{Safe(reference)}.pdf")
                    : Problems.NotFound($"no case '{reference}'");
            default:
                return Problems.Invalid([new FieldError("format", "pdf or json")]);
        }
    }

    public static async Task<Results<Ok<LitigationList>, ProblemHttpResult>> List(
        HttpContext context, IGrainFactory grains, ICaseSummaryReader cases, string? route, string? status, CancellationToken cancellationToken)
    {
        var (filter, errors) = Filter(route, status);
        return filter is null ? Problems.Invalid(errors) : TypedResults.Ok(new LitigationList(await Matching(context, grains, cases, filter, int.MaxValue, cancellationToken)));
    }

    /// <summary>
    /// The matching cases' dossiers as <c>dossiers/{reference}.pdf</c> in a ZIP file, with <c>index.csv</c> (<c>;</c>,
    /// decimal comma, UTF-8 with BOM): reference, debtor, balance, route, expected net, dossier file. Without a status, the
    /// cases ready to go; each exported case that was ready is marked handed over.
    /// </summary>
    public static async Task<IResult> Export(
        HttpContext context, IGrainFactory grains, ICaseSummaryReader cases, string? route, string? status, CancellationToken cancellationToken)
    {
        var (filter, errors) = Filter(route, status ?? "ready");
        if (filter is null)
        {
            return Problems.Invalid(errors);
        }

        var creditor = CreditorKeyFilter.CreditorOf(context);
        var items = await Matching(context, grains, cases, filter, MaxExport, cancellationToken);
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            var index = new StringBuilder("reference;debtor_reference;balance;currency;route;expected_net;status;dossier\r\n");
            foreach (var item in items)
            {
                if (await grains.GetGrain<IDossierGrain>(0).Pdf(creditor, item.Reference) is not { } pdf)
                {
                    continue;
                }

                var file = $"dossiers/{Safe(item.Reference)}.pdf";
                await using (var entry = await archive.CreateEntry(file, CompressionLevel.Fastest).OpenAsync(cancellationToken))
                {
                    await entry.WriteAsync(pdf, cancellationToken);
                }

                var handedOver = item.Status == LitigationStatus.Ready
                    && (await grains.Reference<ICaseGrain>(GrainKeys.Compose(creditor, item.Reference)).HandOver()).Outcome == CaseActionOutcome.Applied;
                index.AppendJoin(';', [Cell(item.Reference), Cell(item.DebtorReference), Money(item.Balance), item.Currency, Wire(item.Route),
                    item.ExpectedNet is { } net ? Money(net) : string.Empty, handedOver ? "handed_over" : Wire(item.Status), file]).Append("\r\n");
            }

            await using var csv = await archive.CreateEntry("index.csv", CompressionLevel.Fastest).OpenAsync(cancellationToken);
            await csv.WriteAsync(Encoding.UTF8.GetPreamble(), cancellationToken);
            await csv.WriteAsync(Encoding.UTF8.GetBytes(index.ToString()), cancellationToken);
        }

        return TypedResults.File(zip.ToArray(), "application/zip", $"litigation-{creditor}.zip");
    }

    private sealed record LitigationFilter(LitigationRoute? Route, LitigationStatus? Status);

    private static (LitigationFilter? Filter, List<FieldError> Errors) Filter(string? route, string? status)
    {
        var errors = new List<FieldError>();
        var wantedRoute = route is null ? (LitigationRoute?)null : Enum.GetValues<LitigationRoute>().Select(r => (LitigationRoute?)r).FirstOrDefault(r => Wire(r!.Value) == route);
        if (route is not null && wantedRoute is null or LitigationRoute.WriteOff)
        {
            errors.Add(new("route", "small_claims or payment_order"));
        }

        var wantedStatus = status is null ? (LitigationStatus?)null : Enum.GetValues<LitigationStatus>().Select(s => (LitigationStatus?)s).FirstOrDefault(s => Wire(s!.Value) == status);
        if (status is not null && wantedStatus is null or LitigationStatus.Concluded)
        {
            errors.Add(new("status", "awaiting_approval, ready or handed_over (a concluded case is closed)"));
        }

        return (errors.Count > 0 ? null : new LitigationFilter(wantedRoute, wantedStatus), errors);
    }

    /// <summary>The creditor's escalated cases from the read model, each read from its grain for its route and hand-off status.</summary>
    private static async Task<List<LitigationItem>> Matching(
        HttpContext context, IGrainFactory grains, ICaseSummaryReader cases, LitigationFilter filter, int limit, CancellationToken cancellationToken)
    {
        var creditor = CreditorKeyFilter.CreditorOf(context);
        var items = new List<LitigationItem>();
        await foreach (var (summary, _) in cases.ExportAsync(creditor, new CaseQuery(Status: CaseStatus.Escalated), cancellationToken))
        {
            if (await grains.Reference<ICaseGrain>(GrainKeys.Compose(creditor, summary.Reference)).Get() is not { Status: CaseStatus.Escalated, Litigation: { } litigation } view
                || (filter.Route is { } r && litigation.Route != r) || (filter.Status is { } s && litigation.Status != s))
            {
                continue;
            }

            items.Add(new LitigationItem(view.Reference, view.DebtorReference, view.Balance, view.Currency, litigation.Route, litigation.Status,
                view.Decision?.ExpectedNet, view.Decision?.DecidedAt, litigation.HandedOverAt, $"/api/v1/cases/{Uri.EscapeDataString(view.Reference)}/dossier"));
            if (items.Count >= limit)
            {
                break;
            }
        }

        return items;
    }

    private static string Wire<T>(T value)
        where T : struct, Enum => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture).Replace('.', ',');

    /// <summary>A CSV cell: quoted when it holds the separator or a quote, and never read as a formula.</summary>
    private static string Cell(string value)
    {
        var safe = value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
        return safe.Contains(';', StringComparison.Ordinal) || safe.Contains('"', StringComparison.Ordinal) || safe.Contains('\n', StringComparison.Ordinal)
            ? "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : safe;
    }

    /// <summary>A reference as a file name: anything but letters, digits, '-', '_' and '.' becomes '_'.</summary>
    private static string Safe(string reference) =>
        string.Concat(reference.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.' ? ch : '_'));

    /// <summary>The route the creditor approves: <c>small_claims</c>, <c>payment_order</c> or <c>write_off</c>.</summary>
    /// <remarks>A string rather than the enum: the document would otherwise hold the route's values twice, as a nullable enum too.</remarks>
    public sealed record RouteChoice(string? Route);

    /// <summary>
    /// The partner's outcome: <c>recovered</c> (amount: the balance handed over unless given), <c>partially_recovered</c> and
    /// <c>settled</c> (amount required), <c>failed</c> (nothing recovered); the note is kept in the case's history.
    /// </summary>
    public sealed record OutcomeReport(LitigationOutcome? Outcome, decimal? Amount, string? Note);

    public static async Task<Results<Ok<CaseView>, ProblemHttpResult>> ChooseRoute(HttpContext context, string reference, RouteChoice body) =>
        Enum.GetValues<LitigationRoute>().Where(r => Wire(r) == body.Route).Select(r => (LitigationRoute?)r).FirstOrDefault() is { } route
            ? await Answer(Grain(context, reference).ChooseLitigationRoute(route), reference)
            : Problems.Invalid([new FieldError("route", "small_claims, payment_order or write_off")]);

    public static async Task<Results<Ok<CaseView>, ProblemHttpResult>> RecordOutcome(HttpContext context, string reference, OutcomeReport body)
    {
        var errors = new List<FieldError>();
        if (body.Outcome is null)
        {
            errors.Add(new("outcome", "recovered, partially_recovered, failed or settled"));
        }

        if (body.Amount is < 0m or > 999_999_999.99m || (body.Amount is { } a && decimal.Round(a, 2) != a))
        {
            errors.Add(new("amount", "a positive amount with at most two decimals"));
        }

        if (body.Outcome is LitigationOutcome.PartiallyRecovered or LitigationOutcome.Settled && body.Amount is null)
        {
            errors.Add(new("amount", "required for partially_recovered and settled: what the partner recovered"));
        }

        var note = body.Note?.Trim();
        if (note?.Length > 1000)
        {
            errors.Add(new("note", "at most 1000 characters"));
        }

        return errors.Count > 0
            ? Problems.Invalid(errors)
            : await Answer(Grain(context, reference).RecordLitigationOutcome(body.Outcome!.Value, body.Amount, note is { Length: > 0 } ? note : null), reference);
    }

    private static async Task<Results<Ok<CaseView>, ProblemHttpResult>> Answer(Task<CaseActionResult> action, string reference)
    {
        var result = await action;
        return result.Outcome switch
        {
            CaseActionOutcome.Applied or CaseActionOutcome.AlreadyApplied => TypedResults.Ok(result.Case),
            CaseActionOutcome.NotFound => Problems.NotFound($"no case '{reference}'"),
            _ => Problems.Conflict(result.Reason ?? "refused"),
        };
    }

    private static ICaseGrain Grain(HttpContext context, string reference) =>
        context.RequestServices.GetRequiredService<IGrainFactory>()
            .Reference<ICaseGrain>(GrainKeys.Compose(CreditorKeyFilter.CreditorOf(context), reference));
}
