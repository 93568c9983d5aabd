using Recouvrement.Api.Access;
using Recouvrement.Api.Cases;

namespace Recouvrement.Api.Imports;

/// <summary><c>POST /api/v1/imports</c>: a CSV file of cases, answered line by line.</summary>
public static class ImportsApi
{
    public const long BodyLimit = 32 * 1024 * 1024;
    public const int MaxLines = 100_000;

    private static readonly string[] Columns =
    [
        "reference", "amount", "currency", "issued_on", "due_on", "label", "debtor_reference", "debtor_kind",
        "debtor_name", "email", "phone", "address_line1", "postal_code", "city", "country", "language",
    ];

    private static readonly string[] RequiredColumns = ["reference", "amount", "issued_on", "due_on", "debtor_reference", "debtor_name"];

    public static RouteGroupBuilder MapImportsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/imports", Import).WithTags("Imports").WithName("importCases").Accepts<string>("text/csv")
            .WithSummary("Import a CSV file of cases: one result per line, with its line number")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
        return api;
    }

    /// <summary>One line's fate.</summary>
    public sealed record LineResult(int Line, string? Reference, IntakeStatus Status, IReadOnlyList<FieldError> Errors);

    /// <summary>A remark about the file as a whole that did not stop the import (e.g. an unknown column).</summary>
    public sealed record ImportWarning(int Line, string Field, string Reason);

    /// <summary>The whole answer: counts, warnings, then one result per data line.</summary>
    public sealed record ImportResult(
        int Lines, int Created, int Duplicate, int Conflict, int Invalid, int Failed, string Delimiter,
        IReadOnlyList<ImportWarning> Warnings, IReadOnlyList<LineResult> Results);

    public static async Task<Results<Ok<ImportResult>, ProblemHttpResult>> Import(HttpContext context, CaseIntake intake, CancellationToken cancellationToken)
    {
        var type = context.Request.ContentType ?? string.Empty;
        if (!type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) && !type.StartsWith("application/csv", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.UnsupportedMediaType("send the file as text/csv (UTF-8)");
        }

        var body = await RequestBody.ReadAsync(context.Request, BodyLimit, cancellationToken);
        var (delimiter, records, more) = CsvCaseFile.Read(body, MaxLines + 1);
        if (records.Count == 0)
        {
            return Problems.BadRequest("the file is empty: a header line is expected");
        }

        if (more)
        {
            return Problems.TooLarge($"a file holds at most {MaxLines} lines; this one has more: split it");
        }

        var header = records[0];
        if (header.InvalidEncoding)
        {
            return Problems.BadRequest("line 1 (the header) is not valid UTF-8: save the file as UTF-8");
        }

        if (header.FieldCount > InputLimits.MaxCsvColumns)
        {
            return Problems.BadRequest($"a file has at most {InputLimits.MaxCsvColumns} columns; this header has {header.FieldCount}: nothing was imported");
        }

        if (header.OpenQuote || header.Fields.Any(InputLimits.TooLong))
        {
            return Problems.BadRequest($"the header has a quoted name left open or a name of more than {InputLimits.MaxFieldBytes} bytes: nothing was imported");
        }

        var names = header.Fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
        var missing = RequiredColumns.Where(c => !names.Contains(c)).ToList();
        var repeated = names.Where(n => n.Length > 0).GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (missing.Count > 0 || repeated.Count > 0)
        {
            var problems = missing.Select(c => new FieldError(c, "required column missing from the header"))
                .Concat(repeated.Select(c => new FieldError(c, "column appears more than once in the header")));
            return Problems.BadRequest("the header cannot be used; nothing was imported",
                new Dictionary<string, object?> { ["errors"] = problems.ToList(), ["expectedColumns"] = Columns });
        }

        var warnings = names.Select((n, i) => (n, i)).Where(x => !Columns.Contains(x.n))
            .Select(x => new ImportWarning(1, header.Fields[x.i], "unknown column, ignored")).ToList();
        var today = Prescription.Today(context.RequestServices.GetRequiredKeyedService<TimeProvider>(EngineClock.Key));
        var items = records.Skip(1).Select(r => intake.Prepare(r.Line, () => ToItem(r, names, today))).ToList();
        var outcomes = await intake.SubmitAsync(CreditorKeyFilter.CreditorOf(context), items, cancellationToken);
        var results = outcomes.Select(o => new LineResult(o.Position, o.Reference, o.Status, o.Errors)).ToList();
        return TypedResults.Ok(new ImportResult(results.Count,
            results.Count(r => r.Status == IntakeStatus.Created), results.Count(r => r.Status == IntakeStatus.Duplicate),
            results.Count(r => r.Status == IntakeStatus.Conflict), results.Count(r => r.Status == IntakeStatus.Invalid),
            results.Count(r => r.Status == IntakeStatus.Failed), delimiter.ToString(), warnings, results));
    }

    private static IntakeItem ToItem(CsvRecord record, List<string> names, DateOnly today)
    {
        string? Cell(string column)
        {
            var i = names.IndexOf(column);
            return i >= 0 && i < record.Fields.Count ? record.Fields[i] : null;
        }

        var reference = Cell("reference")?.Trim() is { Length: <= 64 } shown ? shown : null;
        if (record.InvalidEncoding)
        {
            return new IntakeItem(record.Line, reference, null, [new FieldError("line", "not valid UTF-8: save the file as UTF-8")]);
        }

        if (record.OpenQuote)
        {
            return new IntakeItem(record.Line, reference, null, [new FieldError("line",
                $"a quoted cell is not closed (or goes on over a line break past {InputLimits.MaxFieldBytes} bytes): this line was read alone, the next line on its own")]);
        }

        if (record.FieldCount > InputLimits.MaxCsvColumns)
        {
            return new IntakeItem(record.Line, reference, null,
                [new FieldError("line", $"{record.FieldCount} fields: a line has at most {InputLimits.MaxCsvColumns}")]);
        }

        if (record.FieldCount != names.Count)
        {
            return new IntakeItem(record.Line, reference, null,
                [new FieldError("line", $"{record.FieldCount} fields where the header has {names.Count} columns")]);
        }

        var tooLong = record.Fields.Select((cell, i) => (cell, i)).Where(x => InputLimits.TooLong(x.cell))
            .Select(x => new FieldError(names[x.i].Length > 0 ? names[x.i] : $"column {x.i + 1}", InputLimits.FieldTooLong)).ToList();
        if (tooLong.Count > 0)
        {
            return new IntakeItem(record.Line, reference, null, tooLong);
        }

        var input = new CaseInput(Cell("reference"), Cell("amount"), Cell("currency"), Cell("issued_on"), Cell("due_on"), Cell("label"),
            Cell("debtor_reference"), Cell("debtor_kind"), Cell("debtor_name"), Cell("email"), Cell("phone"),
            Cell("address_line1"), Cell("postal_code"), Cell("city"), Cell("country"), Cell("language"));
        var (draft, errors) = CaseValidation.Validate(input, FieldNames.Csv, decimalComma: true, today);
        return new IntakeItem(record.Line, draft?.Reference ?? reference, draft, errors);
    }
}
