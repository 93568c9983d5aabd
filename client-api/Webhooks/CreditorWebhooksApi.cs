using Microsoft.Extensions.Options;
using Recouvrement.Api.Access;
using Recouvrement.Api.Cases;
using Recouvrement.Webhooks;

namespace Recouvrement.Api.Webhooks;

/// <summary>
/// <c>/api/v1/webhooks</c>: a creditor's signed webhooks. Each subscription receives the creditor's events of the
/// types it names, posted one at a time in log order and signed with its secret (<c>docs/webhooks.md</c>).
/// </summary>
public static class CreditorWebhooksApi
{
    /// <summary>Entries accepted in <c>events</c>, known or not: the list of types is short, a longer one is a mistake.</summary>
    private const int MaxEventEntries = 64;

    public static RouteGroupBuilder MapCreditorWebhooksApi(this RouteGroupBuilder api)
    {
        var hooks = api.MapGroup("/webhooks").WithTags("Webhook subscriptions");
        hooks.MapPost("/", Create).WithName("createWebhook").WithSummary("Subscribe a URL to the creditor's events")
            .WithDescription("Body {url, events: [types or \"*\"]}. The URL must be https and resolve to public addresses only. "
                + "The answer carries the signing secret, shown this once. Deliveries start with the events that occur after the subscription.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status415UnsupportedMediaType);
        hooks.MapGet("/", List).WithName("listWebhooks").WithSummary("The creditor's subscriptions and their status")
            .WithDescription("Each subscription is active, or disabled with the reason (an event failed for 3 days). Never a secret.");
        hooks.MapGet("/{id}", Get).WithName("getWebhook").WithSummary("One subscription and its status")
            .ProducesProblems(StatusCodes.Status404NotFound);
        hooks.MapDelete("/{id}", Delete).WithName("deleteWebhook").WithSummary("Stop and forget a subscription")
            .ProducesProblems(StatusCodes.Status404NotFound);
        hooks.MapGet("/{id}/deliveries", Deliveries).WithName("listWebhookDeliveries").WithSummary("A subscription's last delivery attempts, newest first")
            .WithDescription("Event id and type, attempt number, the receiver's HTTP status, the error, the duration in milliseconds and the time of each attempt.")
            .ProducesProblems(StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary>A new subscription: where to post, and which event types (or <c>"*"</c> for all).</summary>
    public sealed record WebhookInput(string? Url, IReadOnlyList<string?>? Events);

    /// <summary>The subscription just made, with its secret: the only time the secret is shown.</summary>
    public sealed record CreatedWebhook(string Id, string Url, IReadOnlyList<string> Events, string Secret, WebhookStatus Status, DateTimeOffset CreatedAt);

    /// <summary>A subscription as listed; <c>failingSince</c> and <c>nextAttemptAt</c> while an event is being retried.</summary>
    public sealed record WebhookItem(
        string Id, string Url, IReadOnlyList<string> Events, WebhookStatus Status, string? DisabledReason, DateTimeOffset? DisabledAt,
        DateTimeOffset? FailingSince, DateTimeOffset? NextAttemptAt, DateTimeOffset CreatedAt);

    public sealed record WebhookList(IReadOnlyList<WebhookItem> Items);

    /// <summary>One delivery attempt; <c>httpStatus</c> is null when no answer came, <c>error</c> null when delivered.</summary>
    public sealed record DeliveryItem(string EventId, string Type, int Attempt, int? HttpStatus, string? Error, long DurationMs, DateTimeOffset At);

    public sealed record DeliveryList(IReadOnlyList<DeliveryItem> Items);

    public static async Task<Results<Created<CreatedWebhook>, ProblemHttpResult>> Create(
        HttpContext context, IGrainFactory grains, IOptions<CreditorWebhookOptions> options, WebhookInput input, CancellationToken cancellationToken)
    {
        var (created, errors) = await CreateAsync(grains, CreditorKeyFilter.CreditorOf(context), options.Value, input, cancellationToken);
        return created is null ? Problems.Invalid(errors) : TypedResults.Created($"/api/v1/webhooks/{created.Id}", created);
    }

    /// <summary>Checks a new subscription (its URL public and reachable, its event types known) and makes it; the API and the console both come here.</summary>
    public static async Task<(CreatedWebhook? Created, List<FieldError> Errors)> CreateAsync(
        IGrainFactory grains, string creditorId, CreditorWebhookOptions options, WebhookInput input, CancellationToken cancellationToken)
    {
        var allowPrivate = options.AllowPrivateTargets;
        var errors = new List<FieldError>();
        var events = Events(input.Events, errors);
        if (WebhookTargets.Problem(input.Url, allowPrivate, out var target) is { } problem)
        {
            errors.Add(new("url", problem));
        }
        else if ((await WebhookTargets.ResolveAsync(target!.IdnHost, allowPrivate, cancellationToken)).Refusal is { } refusal)
        {
            errors.Add(new("url", refusal));
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var creation = await grains.Reference<ICreditorWebhooksGrain>(creditorId).Create(input.Url!, events);
        if (creation is not { Webhook: { } created, Secret: { } secret })
        {
            return (null, [new("url", $"a creditor holds at most {options.MaxSubscriptions} webhook subscriptions: delete one first")]);
        }

        return (new CreatedWebhook(created.Id, created.Url, created.Events, secret, created.Status, created.CreatedAt), errors);
    }

    public static async Task<Ok<WebhookList>> List(HttpContext context, IGrainFactory grains) =>
        TypedResults.Ok(new WebhookList([.. (await Creditor(context, grains).List()).Select(Item)]));

    public static async Task<Results<Ok<WebhookItem>, ProblemHttpResult>> Get(HttpContext context, IGrainFactory grains, string id) =>
        await Creditor(context, grains).Get(id) is { } view ? TypedResults.Ok(Item(view)) : Unknown();

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(HttpContext context, IGrainFactory grains, string id) =>
        await Creditor(context, grains).Delete(id) ? TypedResults.NoContent() : Unknown();

    public static async Task<Results<Ok<DeliveryList>, ProblemHttpResult>> Deliveries(HttpContext context, IGrainFactory grains, string id) =>
        await Creditor(context, grains).Deliveries(id) is { } attempts
            ? TypedResults.Ok(new DeliveryList([.. attempts.Select(a => new DeliveryItem(
                a.EventId, a.Type, a.Attempt, a.HttpStatus, a.Error, (long)Math.Round(a.Duration.TotalMilliseconds), a.At))]))
            : Unknown();

    /// <summary>The types asked for, each known (or <c>"*"</c>, which stands for all), once each, in the order given.</summary>
    private static List<string> Events(IReadOnlyList<string?>? asked, List<FieldError> errors)
    {
        if (asked is not { Count: > 0 })
        {
            errors.Add(new("events", $"at least one event type, or \"*\" for all: {string.Join(", ", EventTypes.All)}"));
            return [];
        }

        if (asked.Count > MaxEventEntries)
        {
            errors.Add(new("events", $"at most {MaxEventEntries} entries"));
            return [];
        }

        var events = new List<string>();
        for (var i = 0; i < asked.Count; i++)
        {
            if (asked[i] is { } type && (type == WebhookSubscription.AllEvents || EventTypes.All.Contains(type)))
            {
                if (!events.Contains(type))
                {
                    events.Add(type);
                }
            }
            else
            {
                var shown = asked[i] is { } unknown ? $"'{unknown[..Math.Min(unknown.Length, 64)]}'" : "null";
                errors.Add(new($"events[{i}]", $"{shown} is not an event type: {string.Join(", ", EventTypes.All)}, or \"*\" for all"));
            }
        }

        return events.Contains(WebhookSubscription.AllEvents) ? [WebhookSubscription.AllEvents] : events;
    }

    public static WebhookItem Item(WebhookView v) =>
        new(v.Id, v.Url, v.Events, v.Status, v.DisabledReason, v.DisabledAt, v.FailingSince, v.NextAttemptAt, v.CreatedAt);

    private static ICreditorWebhooksGrain Creditor(HttpContext context, IGrainFactory grains) =>
        grains.Reference<ICreditorWebhooksGrain>(CreditorKeyFilter.CreditorOf(context));

    private static ProblemHttpResult Unknown() => Problems.NotFound("this creditor has no webhook subscription of this id");
}
