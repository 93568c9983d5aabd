using System.Globalization;
using System.Text;
using Recouvrement.Api.Access;
using Recouvrement.Api.Cases;

namespace Recouvrement.Api.ReadSide;

/// <summary>
/// <c>GET /api/v1/cases</c>: the creditor's cases from the read model, filtered, a page at a time (keyset: a walk
/// returns each case once, however the cases change meanwhile) — by reference; by due date then reference when filtered
/// by due dates; by change time then reference, up to the time of the walk's first page, when filtered by
/// <c>updatedSince</c>; <c>GET /api/v1/cases/export</c>: the same as a CSV file, streamed.
/// </summary>
public static class CaseListApi
{
    public static RouteGroupBuilder MapCaseListApi(this RouteGroupBuilder api)
    {
        var cases = api.MapGroup("/cases").WithTags("Cases");
        cases.MapGet("/", List).WithName("listCases").WithSummary("The creditor's cases, filtered, a page at a time (keyset: pass nextCursor back)")
            .ProducesProblems(StatusCodes.Status400BadRequest);
        cases.MapGet("/export", Export).WithName("exportCases").WithSummary("The same cases as a CSV file (';', decimal comma, UTF-8 with BOM)")
            .Produces<Stream>(StatusCodes.Status200OK, "text/csv").ProducesProblems(StatusCodes.Status400BadRequest);
        return api;
    }

    /// <summary>A case as the list shows it: where it stands, its figures, its next step, when it last changed.</summary>
    public sealed record CaseListItem(
        string Reference, string DebtorReference, CaseStatus Status, int Stage, decimal Amount, decimal Paid, decimal Balance, string Currency,
        DateOnly IssuedOn, DateOnly DueOn, DateTimeOffset? NextStepAt, string? NextAction, string LastEvent, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

    /// <summary>A page of cases; <c>nextCursor</c> is null on the last page.</summary>
    public sealed record CasePage(IReadOnlyList<CaseListItem> Items, string? NextCursor);

    public static async Task<Results<Ok<CasePage>, ProblemHttpResult>> List(
        HttpContext context, ICaseSummaryReader cases, [FromKeyedServices(EngineClock.Key)] TimeProvider clock, string? status, string? debtor, string? dueFrom, string? dueTo, string? amountFrom, string? amountTo,
        string? updatedSince, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var (query, errors) = Query(status, debtor, dueFrom, dueTo, amountFrom, amountTo, updatedSince, limit, cursor, clock);
        if (query is null)
        {
            return Problems.Invalid(errors);
        }

        var page = await cases.ListAsync(CreditorKeyFilter.CreditorOf(context), query, cancellationToken);
        var next = page.Count == query.Limit ? Encode(query.Next(page[^1])) : null;
        return TypedResults.Ok(new CasePage([.. page.Select(Item)], next));
    }

    /// <summary>
    /// The matching cases as CSV: <c>;</c> separated, decimal comma, UTF-8 with a byte order mark (as a spreadsheet opens
    /// it), the intake columns then status, paid, balance, stage, updated_at. A cell starting with <c>= + - @</c> (or a tab
    /// or carriage return) is prefixed with a quote, so that no spreadsheet runs it as a formula.
    /// </summary>
    public static async Task<IResult> Export(
        HttpContext context, ICaseSummaryReader cases, [FromKeyedServices(EngineClock.Key)] TimeProvider clock, string? status, string? debtor, string? dueFrom, string? dueTo, string? amountFrom, string? amountTo,
        string? updatedSince, CancellationToken cancellationToken)
    {
        var (query, errors) = Query(status, debtor, dueFrom, dueTo, amountFrom, amountTo, updatedSince, null, null, clock);
        if (query is null)
        {
            return Problems.Invalid(errors);
        }

        var response = context.Response;
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"cases-{CreditorKeyFilter.CreditorOf(context)}.csv\"";
        await using var writer = new StreamWriter(response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), bufferSize: 64 * 1024);
        await writer.WriteLineAsync(string.Join(';', ExportColumns));
        var line = new StringBuilder(512);
        await foreach (var (c, fed) in cases.ExportAsync(CreditorKeyFilter.CreditorOf(context), query, cancellationToken))
        {
            line.Clear();
            var d = fed?.Debtor;
            Cell(line, c.Reference).Append(';');
            Cell(line, Money(c.Amount)).Append(';');
            Cell(line, c.Currency).Append(';');
            Cell(line, Date(c.IssuedOn)).Append(';');
            Cell(line, Date(c.DueOn)).Append(';');
            Cell(line, fed?.Label).Append(';');
            Cell(line, c.DebtorReference).Append(';');
            Cell(line, d is null ? null : d.Kind == DebtorKind.Business ? "business" : "consumer").Append(';');
            Cell(line, d?.Name).Append(';');
            Cell(line, d?.Email).Append(';');
            Cell(line, d?.Phone).Append(';');
            Cell(line, d?.Address?.Line1).Append(';');
            Cell(line, d?.Address?.PostalCode).Append(';');
            Cell(line, d?.Address?.City).Append(';');
            Cell(line, d?.Address?.Country).Append(';');
            Cell(line, d?.Language).Append(';');
            Cell(line, CaseStatuses.Wire(c.Status)).Append(';');
            Cell(line, Money(c.Paid)).Append(';');
            Cell(line, Money(c.Balance)).Append(';');
            Cell(line, c.Stage.ToString(CultureInfo.InvariantCulture)).Append(';');
            Cell(line, c.UpdatedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            await writer.WriteLineAsync(line, cancellationToken);
        }

        return Results.Empty;
    }

    /// <summary>The export's header: the intake columns, then what the engine made of each case.</summary>
    public static readonly string[] ExportColumns =
    [
        "reference", "amount", "currency", "issued_on", "due_on", "label", "debtor_reference", "debtor_kind", "debtor_name", "email", "phone",
        "address_line1", "postal_code", "city", "country", "language", "status", "paid", "balance", "stage", "updated_at",
    ];

    /// <summary>
    /// The list's filters read and checked, each wrong one named (the console's cases page checks its filters here too):
    /// the query, or the field errors. A list by change time without a cursor is bounded at the engine clock's now, the clock of the cases' <c>updatedAt</c>.
    /// </summary>
    public static (CaseQuery? Query, List<FieldError> Errors) Query(
        string? status, string? debtor, string? dueFrom, string? dueTo, string? amountFrom, string? amountTo, string? updatedSince, int? limit, string? cursor,
        TimeProvider clock)
    {
        var errors = new List<FieldError>();
        var wantedStatus = status is null ? null : CaseStatuses.TryParse(status);
        if (status is not null && wantedStatus is null)
        {
            errors.Add(new("status", "one of: " + string.Join(", ", Enum.GetValues<CaseStatus>().Select(CaseStatuses.Wire))));
        }

        DateOnly? Day(string? text, string field)
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

        var from = Day(dueFrom, "dueFrom");
        var to = Day(dueTo, "dueTo");
        decimal? Amount(string? text, string field)
        {
            if (text is null)
            {
                return null;
            }

            if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) && amount <= MaxAmount)
            {
                return amount;
            }

            errors.Add(new(field, "an amount of zero or more, with a decimal point (e.g. 150 or 99.90)"));
            return null;
        }

        var least = Amount(amountFrom, "amountFrom");
        var most = Amount(amountTo, "amountTo");
        if (least > most)
        {
            errors.Add(new("amountTo", "at least amountFrom"));
        }

        DateTimeOffset? since = null;
        if (updatedSince is not null)
        {
            if (DateTimeOffset.TryParse(updatedSince, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                since = at;
            }
            else
            {
                errors.Add(new("updatedSince", "a date and time, ISO 8601 (e.g. 2026-12-01T08:00:00Z)"));
            }
        }

        if (limit is < 1 or > CaseQuery.MaxLimit)
        {
            errors.Add(new("limit", $"1 to {CaseQuery.MaxLimit}"));
        }

        var order = since is not null ? ListOrder.Updated : from is not null || to is not null ? ListOrder.DueDate : ListOrder.Reference;
        var start = cursor is null ? null : Decode(cursor);
        if (cursor is not null && start?.Order != order)
        {
            errors.Add(new("cursor", "not a cursor this list gave with these filters: start without one, then pass nextCursor back with the same filters"));
        }

        if (debtor is { Length: > 64 })
        {
            errors.Add(new("debtor", "a debtor reference has at most 64 characters"));
        }

        return errors.Count > 0
            ? (null, errors)
            : (new CaseQuery(wantedStatus, debtor, from, to, since, start?.After, limit ?? CaseQuery.DefaultLimit, start?.AfterDue, start?.AfterUpdated,
                since is null ? null : start?.Until ?? clock.GetUtcNow(), least, most), errors);
    }

    /// <summary>The largest bound an amount filter takes: above any amount a case can claim.</summary>
    private const decimal MaxAmount = 999_999_999_999m;

    private static CaseListItem Item(CaseSummary c) => new(c.Reference, c.DebtorReference, c.Status, c.Stage, c.Amount, c.Paid, c.Balance, c.Currency,
        c.IssuedOn, c.DueOn, c.NextStepAt, c.NextAction, c.LastEvent, c.CreatedAt, c.UpdatedAt);

    private enum ListOrder
    {
        Reference,
        DueDate,
        Updated,
    }

    /// <summary>Where a page starts, as its cursor says: the order of the list it came from, and the last case of the page before.</summary>
    private sealed record ListStart(ListOrder Order, string After, DateOnly? AfterDue = null, DateTimeOffset? AfterUpdated = null, DateTimeOffset? Until = null);

    /// <summary>
    /// Where the next page starts, base64url: <c>r:reference</c>; <c>d:due date:reference</c> in a list by due date;
    /// <c>u:walk's bound:change time:reference</c> (both in UTC ticks, exact in both read models) in a list by change time.
    /// </summary>
    private static string Encode(CaseQuery next)
    {
        var text = next switch
        {
            { ByUpdate: true } => $"u:{next.UpdatedUntil!.Value.UtcTicks}:{next.AfterUpdated!.Value.UtcTicks}:{next.After}",
            { AfterDue: { } due } => $"d:{Date(due)}:{next.After}",
            _ => "r:" + next.After,
        };
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static ListStart? Decode(string cursor)
    {
        string text;
        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", _ => string.Empty };
            text = Encoding.UTF8.GetString(Convert.FromBase64String(padded));
        }
        catch (FormatException)
        {
            return null;
        }

        if (text.StartsWith("r:", StringComparison.Ordinal) && text.Length > 2)
        {
            return new(ListOrder.Reference, text[2..]);
        }

        if (text.Length > 13 && text.StartsWith("d:", StringComparison.Ordinal) && text[12] == ':'
            && DateOnly.TryParseExact(text[2..12], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var due))
        {
            return new(ListOrder.DueDate, text[13..], AfterDue: due);
        }

        var parts = text.Split(':', 4);
        return parts is ["u", var until, var at, { Length: > 0 } reference]
            && Ticks(until) is { } bound && Ticks(at) is { } last
                ? new(ListOrder.Updated, reference, AfterUpdated: last, Until: bound)
                : null;
    }

    private static DateTimeOffset? Ticks(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTimeOffset.MaxValue.UtcTicks
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : null;

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture).Replace('.', ',');

    private static string Date(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>One CSV cell: quoted when it holds a separator, a quote or a line break; neutralised when a spreadsheet would read it as a formula.</summary>
    internal static StringBuilder Cell(StringBuilder line, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return line;
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(";\"\r\n") >= 0
            ? line.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"')
            : line.Append(value);
    }
}
