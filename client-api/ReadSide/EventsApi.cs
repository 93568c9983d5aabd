using System.Text.Json;
using Recouvrement.Api.Access;
using Recouvrement.Api.Cases;

namespace Recouvrement.Api.ReadSide;

/// <summary><c>GET /api/v1/events?after=&amp;types=&amp;limit=</c>: the creditor's durable, replayable event feed.</summary>
public static class EventsApi
{
    public static RouteGroupBuilder MapEventsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/events", Feed).WithTags("Events").WithName("listEvents")
            .WithSummary("The creditor's durable event feed, in order: pass nextCursor back as after to read on")
            .ProducesProblems(StatusCodes.Status400BadRequest);
        return api;
    }

    /// <summary>One event as the feed and the webhooks carry it.</summary>
    public sealed record FeedEvent(string Id, string Type, DateTimeOffset OccurredAt, string? CaseReference, string DebtorReference, JsonElement Data);

    /// <summary>A page of the feed; <c>nextCursor</c> is where to go on from (the same when nothing new came).</summary>
    public sealed record FeedPage(IReadOnlyList<FeedEvent> Items, string NextCursor);

    public static async Task<Results<Ok<FeedPage>, ProblemHttpResult>> Feed(
        HttpContext context, IEventLog log, string? after, string? types, int? limit, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        if (!EventCursor.TryParse(after, out var cursor))
        {
            errors.Add(new("after", "not a cursor this feed gave: start without one, then pass nextCursor back"));
        }

        var wanted = types?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        foreach (var unknown in wanted.Where(t => !EventTypes.All.Contains(t)))
        {
            errors.Add(new("types", $"'{unknown[..Math.Min(unknown.Length, 64)]}' is not an event type: {string.Join(", ", EventTypes.All)}"));
        }

        if (limit is < 1 or > CaseQuery.MaxLimit)
        {
            errors.Add(new("limit", $"1 to {CaseQuery.MaxLimit}"));
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var page = await log.ReadAsync(CreditorKeyFilter.CreditorOf(context), cursor, wanted, limit ?? CaseQuery.DefaultLimit, cancellationToken);
        return TypedResults.Ok(new FeedPage([.. page.Select(e => Item(e.Event))], (page.Count > 0 ? page[^1].Cursor : cursor).ToString()));
    }

    public static FeedEvent Item(EngineEvent e)
    {
        using var data = JsonDocument.Parse(e.Data);
        return new FeedEvent(e.Id, e.Type, e.OccurredAt, e.CaseReference, e.DebtorReference, data.RootElement.Clone());
    }
}
