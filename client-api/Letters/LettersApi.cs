using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Recouvrement.Api.Access;
using Recouvrement.Api.Cases;
using Recouvrement.Messaging;

namespace Recouvrement.Api.Letters;

/// <summary>A letter as the API lists it.</summary>
public sealed record LetterSummary(
    string Id, string Reference, string DebtorReference, string Kind, DateTimeOffset CreatedAt, IReadOnlyList<string> Cases, string Pdf);

/// <summary>A page of letters, newest first.</summary>
public sealed record LetterPage(IReadOnlyList<LetterSummary> Items, string? NextCursor);

/// <summary>
/// <c>GET /api/v1/letters</c> lists the creditor's letters waiting in the print folder, newest first;
/// <c>GET /api/v1/letters/{id}</c> returns one as PDF.
/// </summary>
public static partial class LettersApi
{
    private const int PageSize = 100;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static RouteGroupBuilder MapLettersApi(this RouteGroupBuilder api)
    {
        var letters = api.MapGroup("/letters").WithTags("Letters");
        letters.MapGet("/", List).WithName("listLetters").WithSummary("Letters waiting in the print folder, newest first, 100 a page");
        letters.MapGet("/{id}", Get).WithName("getLetter").WithSummary("One letter, as PDF")
            .Produces<Stream>(StatusCodes.Status200OK, "application/pdf").ProducesProblems(StatusCodes.Status404NotFound);
        letters.MapPost("/{id}/tracking", Track).WithName("trackLetter")
            .WithSummary("How the print provider sent a letter (simple, registered, electronic_registered) and its tracking reference")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status415UnsupportedMediaType);
        return api;
    }

    public static async Task<Ok<LetterPage>> List(HttpContext context, IOptions<LetterFolderOptions> options, string? debtor, string? cursor)
    {
        var folder = Path.Combine(Path.GetFullPath(options.Value.Path), CreditorKeyFilter.CreditorOf(context));
        var items = new List<LetterSummary>();
        if (Directory.Exists(folder))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "msg_*.json"))
            {
                await using var stream = File.OpenRead(file);
                var manifest = await JsonSerializer.DeserializeAsync<JsonElement>(stream, Json, context.RequestAborted);
                var id = manifest.GetProperty("id").GetString()!;
                var item = new LetterSummary(
                    id, manifest.GetProperty("reference").GetString()!, manifest.GetProperty("debtorReference").GetString()!,
                    manifest.GetProperty("kind").GetString()!, manifest.GetProperty("createdAt").GetDateTimeOffset(),
                    [.. manifest.GetProperty("cases").EnumerateArray().Select(c => c.GetString()!)], $"/api/v1/letters/{id}");
                if (debtor is null || item.DebtorReference == debtor)
                {
                    items.Add(item);
                }
            }
        }

        var ordered = items.OrderByDescending(i => i.CreatedAt).ThenBy(i => i.Id, StringComparer.Ordinal).ToList();
        var start = cursor is null ? 0 : ordered.FindIndex(i => i.Id == cursor) + 1;
        var page = ordered.Skip(start).Take(PageSize).ToList();
        var next = start + PageSize < ordered.Count ? page[^1].Id : null;
        return TypedResults.Ok(new LetterPage(page, next));
    }

    public static Results<PhysicalFileHttpResult, ProblemHttpResult> Get(HttpContext context, IOptions<LetterFolderOptions> options, string id)
    {
        var file = Path.Combine(Path.GetFullPath(options.Value.Path), CreditorKeyFilter.CreditorOf(context), id + ".pdf");
        if (!IdPattern().IsMatch(id) || !File.Exists(file))
        {
            return Problems.NotFound($"no letter '{id}'");
        }

        return TypedResults.PhysicalFile(file, "application/pdf", id + ".pdf");
    }

    /// <summary>What the print provider reports of a letter: how it went, and its tracking reference when it has one.</summary>
    public sealed record TrackingReport(string? Mode, string? TrackingReference);

    /// <summary>A letter's tracking as recorded.</summary>
    public sealed record LetterTrackingView(string Id, string Mode, string? TrackingReference, DateTimeOffset RecordedAt);

    public static async Task<Results<Ok<LetterTrackingView>, ProblemHttpResult>> Track(
        HttpContext context, IOptions<LetterFolderOptions> options, [FromKeyedServices(EngineClock.Key)] TimeProvider clock, string id, TrackingReport body)
    {
        var folder = Path.GetFullPath(options.Value.Path);
        var creditor = CreditorKeyFilter.CreditorOf(context);
        var errors = new List<FieldError>();
        if (body.Mode is null || !LetterTracking.Modes.Contains(body.Mode))
        {
            errors.Add(new("mode", "simple, registered or electronic_registered"));
        }

        var tracking = body.TrackingReference?.Trim();
        if (tracking is { Length: > 64 } || (tracking is { Length: > 0 } && !tracking.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or ' ' or '.')))
        {
            errors.Add(new("trackingReference", "at most 64 letters, digits, spaces, '-', '_' or '.'"));
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        if (!IdPattern().IsMatch(id) || !File.Exists(Path.Combine(folder, creditor, id + ".pdf")))
        {
            return Problems.NotFound($"no letter '{id}'");
        }

        var record = new LetterTracking(body.Mode!, tracking is { Length: > 0 } ? tracking : null, clock.GetUtcNow());
        var file = LetterTracking.FileOf(folder, creditor, id);
        await File.WriteAllBytesAsync(file + ".tmp", JsonSerializer.SerializeToUtf8Bytes(record, LetterTracking.Json), context.RequestAborted);
        File.Move(file + ".tmp", file, overwrite: true);
        return TypedResults.Ok(new LetterTrackingView(id, record.Mode, record.TrackingReference, record.RecordedAt));
    }

    [GeneratedRegex("^msg_[0-9a-f]{32}$")]
    private static partial Regex IdPattern();
}
