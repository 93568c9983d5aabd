using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Recouvrement.Api.Access;
using Recouvrement.Api.Cases;
using Recouvrement.Api.DebtorPages;
using Recouvrement.Api.Letters;
using Recouvrement.Api.ReadSide;

namespace Recouvrement.Api.Statements;

/// <summary>
/// <c>GET /api/v1/statements/{yyyy-MM}</c>: the creditor's commission statement for a month, as JSON (default), CSV or
/// PDF. Every payment recorded in the month (Paris time), the commission on each at the rate in force when it was
/// recorded, the totals (the sums of the lines) and the net the agency remits or invoices.
/// </summary>
public static class StatementsApi
{
    public static RouteGroupBuilder MapStatementsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/statements/{month}", Get).WithTags("Statements").WithName("getStatement")
            .WithSummary("The commission statement of a month (yyyy-MM): payments, commission, totals, net; format=json|csv|pdf")
            .Produces<CommissionStatement>(StatusCodes.Status200OK)
            .Produces<Stream>(StatusCodes.Status200OK, "text/csv", "application/pdf")
            .ProducesProblems(StatusCodes.Status400BadRequest);
        return api;
    }

    public static IServiceCollection AddStatements(this IServiceCollection services)
    {
        // The read side's event log tells which database holds the payments: PostgreSQL's is read by its own index.
        services.TryAddSingleton<IPaymentRecords>(sp => sp.GetRequiredService<IEventLog>() is PostgresEventLog
            ? new PostgresPaymentRecords(sp.GetRequiredService<Npgsql.NpgsqlDataSource>(), sp.GetRequiredService<IOptions<Orleans.Configuration.ClusterOptions>>().Value.ServiceId)
            : new EventLogPaymentRecords(sp.GetRequiredService<IEventLog>()));
        services.TryAddSingleton(sp =>
        {
            var letters = sp.GetRequiredService<IOptions<LetterFolderOptions>>().Value;
            return new StatementPdf(letters.FontPath, letters.BoldFontPath);
        });
        return services;
    }

    public static async Task<IResult> Get(
        HttpContext context, string month, string? format, string? lang, IGrainFactory grains, IPaymentRecords payments, StatementPdf pdf,
        IOptions<AgencyInfo> agency, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var first = ParseMonth(month);
        if (first is null)
        {
            errors.Add(new("month", "a month as yyyy-MM, e.g. 2026-11"));
        }

        if (format is not (null or "json" or "csv" or "pdf"))
        {
            errors.Add(new("format", "json, csv or pdf"));
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var statement = await BuildAsync(grains, payments, agency.Value, CreditorKeyFilter.CreditorOf(context), first.GetValueOrDefault(), cancellationToken);
        var file = $"statement-{statement.CreditorId}-{statement.Period}";
        var language = lang == "en" ? "en" : "fr";
        switch (format)
        {
            case "csv":
                context.Response.Headers.ContentDisposition = $"attachment; filename=\"{file}.csv\"";
                return Results.Bytes(Csv(statement), "text/csv; charset=utf-8");
            case "pdf":
                context.Response.Headers.ContentDisposition = $"attachment; filename=\"{file}.pdf\"";
                return Results.Bytes(pdf.Render(statement, language), "application/pdf");
            default:
                return TypedResults.Ok(statement);
        }
    }

    /// <summary>The statement of <paramref name="month"/> for a creditor; the console's statements page comes here too.</summary>
    public static async Task<CommissionStatement> BuildAsync(
        IGrainFactory grains, IPaymentRecords payments, AgencyInfo agency, string creditorId, DateOnly month, CancellationToken cancellationToken)
    {
        var profile = await grains.Reference<ICreditorGrain>(creditorId).GetProfile();
        var (from, to) = CommissionStatement.Bounds(month);
        var records = await payments.ListAsync(creditorId, from, to, cancellationToken);
        return CommissionStatement.Build(creditorId, profile?.Name ?? creditorId, month, records, profile?.Commission, agency.Name, agency.Address);
    }

    /// <summary>The first day of a <c>yyyy-MM</c> month, or null.</summary>
    public static DateOnly? ParseMonth(string? text) =>
        text is { Length: 7 } && DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && day.Year >= 2000
            ? day
            : null;

    /// <summary>The columns of the statement's CSV.</summary>
    public static readonly string[] CsvColumns =
        ["recorded_on", "received_on", "case_reference", "debtor_reference", "method", "collected_by", "amount", "currency", "commission_rate", "commission"];

    /// <summary>
    /// The statement as CSV, as the case export writes it (<c>;</c>, decimal comma, UTF-8 with a byte order mark, cells
    /// safe from formulas): a row per payment, then a row per currency's totals whose first cell says <c>total</c>.
    /// </summary>
    public static byte[] Csv(CommissionStatement statement)
    {
        var text = new StringBuilder();
        text.Append(string.Join(';', CsvColumns)).Append(";net_to_creditor\r\n");
        foreach (var l in statement.Lines)
        {
            Row(text, Calendar.ParisTime.DateOf(l.RecordedAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), l.ReceivedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                l.CaseReference, l.DebtorReference, l.Method, l.CollectedBy, Decimal(l.Amount), l.Currency, Decimal(l.CommissionRate), Decimal(l.Commission), string.Empty);
        }

        foreach (var t in statement.Totals)
        {
            Row(text, "total", string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, Decimal(t.Collected), t.Currency, string.Empty, Decimal(t.Commission), Decimal(t.NetToCreditor));
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    private static void Row(StringBuilder text, params string[] cells)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                text.Append(';');
            }

            CaseListApi.Cell(text, cells[i]);
        }

        text.Append("\r\n");
    }

    private static string Decimal(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture).Replace('.', ',');
}
