using Recouvrement.Api.Access;
using Recouvrement.Api.Cases;
using Recouvrement.Imports;

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
        api.MapGet("/imports", History).WithTags("Imports").WithName("listImports")
            .WithSummary("The creditor's latest imports (at most 200), newest first: when, through what, and how their lines fared");
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

    public static async Task<Results<Ok<ImportResult>, ProblemHttpResult>> Import(HttpContext context, CaseIntake intake, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var type = context.Request.ContentType ?? string.Empty;
        if (!type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) && !type.StartsWith("application/csv", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.UnsupportedMediaType("send the file as text/csv (UTF-8)");
        }

        var body = await RequestBody.ReadAsync(context.Request, BodyLimit, cancellationToken);
        var creditor = CreditorKeyFilter.CreditorOf(context);
        var (result, problem) = await RunAsync(context.RequestServices, intake, creditor, body, cancellationToken);
        if (result is null)
        {
            return problem!;
        }

        await RecordAsync(grains, creditor, result, ImportRecord.Api, CreditorKeyFilter.KeyIdOf(context), null, context.RequestServices.GetRequiredService<TimeProvider>());
        return TypedResults.Ok(result);
    }

    /// <summary><c>GET /api/v1/imports</c>: the creditor's latest imports, newest first, with how their lines fared.</summary>
    public static async Task<Ok<ImportHistory>> History(HttpContext context, IGrainFactory grains) =>
        TypedResults.Ok(new ImportHistory(await grains.Reference<ICreditorImportsGrain>(CreditorKeyFilter.CreditorOf(context)).List()));

    /// <summary>The creditor's latest imports, newest first.</summary>
    public sealed record ImportHistory(IReadOnlyList<ImportRecord> Items);

    /// <summary>
    /// Reads a CSV file of cases and submits its lines: the result line by line, or, when the file as a whole cannot be
    /// used (empty, too many lines, a bad header), the problem and nothing imported. The API and the console's import page
    /// both come here.
    /// </summary>
    public static async Task<(ImportResult? Result, ProblemHttpResult? Problem)> RunAsync(
        IServiceProvider services, CaseIntake intake, string creditorId, byte[] body, CancellationToken cancellationToken)
    {
        var (delimiter, records, more) = CsvCaseFile.Read(body, MaxLines + 1);
        if (records.Count == 0)
        {
            return (null, Problems.BadRequest("the file is empty: a header line is expected"));
        }

        if (more)
        {
            return (null, Problems.TooLarge($"a file holds at most {MaxLines} lines; this one has more: split it"));
        }

        var header = records[0];
        if (header.InvalidEncoding)
        {
            return (null, Problems.BadRequest("line 1 (the header) is not valid UTF-8: save the file as UTF-8"));
        }

        if (header.FieldCount > InputLimits.MaxCsvColumns)
        {
            return (null, Problems.BadRequest($"a file has at most {InputLimits.MaxCsvColumns} columns; this header has {header.FieldCount}: nothing was imported"));
        }

        if (header.OpenQuote || header.Fields.Any(InputLimits.TooLong))
        {
            return (null, Problems.BadRequest($"the header has a quoted name left open or a name of more than {InputLimits.MaxFieldBytes} bytes: nothing was imported"));
        }

        var names = header.Fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
        var missing = RequiredColumns.Where(c => !names.Contains(c)).ToList();
        var repeated = names.Where(n => n.Length > 0).GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (missing.Count > 0 || repeated.Count > 0)
        {
            var problems = missing.Select(c => new FieldError(c, "required column missing from the header"))
                .Concat(repeated.Select(c => new FieldError(c, "column appears more than once in the header")));
            return (null, Problems.BadRequest("the header cannot be used; nothing was imported",
                new Dictionary<string, object?> { ["errors"] = problems.ToList(), ["expectedColumns"] = Columns }));
        }

        var warnings = names.Select((n, i) => (n, i)).Where(x => !Columns.Contains(x.n))
            .Select(x => new ImportWarning(1, header.Fields[x.i], "unknown column, ignored")).ToList();
        var today = Prescription.Today(services.GetRequiredKeyedService<TimeProvider>(EngineClock.Key));
        var items = records.Skip(1).Select(r => intake.Prepare(r.Line, () => ToItem(r, names, today))).ToList();
        var outcomes = await intake.SubmitAsync(creditorId, items, cancellationToken);
        var results = outcomes.Select(o => new LineResult(o.Position, o.Reference, o.Status, o.Errors)).ToList();
        return (new ImportResult(results.Count,
            results.Count(r => r.Status == IntakeStatus.Created), results.Count(r => r.Status == IntakeStatus.Duplicate),
            results.Count(r => r.Status == IntakeStatus.Conflict), results.Count(r => r.Status == IntakeStatus.Invalid),
            results.Count(r => r.Status == IntakeStatus.Failed), delimiter.ToString(), warnings, results), null);
    }

    /// <summary>Adds an import that ran to the creditor's history (wall-clock time: it records what someone did).</summary>
    public static Task RecordAsync(IGrainFactory grains, string creditorId, ImportResult result, string source, string? by, string? fileName, TimeProvider time) =>
        grains.Reference<ICreditorImportsGrain>(creditorId).Record(new ImportRecord(
            Guid.NewGuid().ToString("N")[..16], time.GetUtcNow(), source, by, fileName is { Length: > 0 } name ? name[..Math.Min(name.Length, 100)] : null,
            result.Lines, result.Created, result.Duplicate, result.Conflict, result.Invalid, result.Failed));

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
