using Recouvrement.Events;

namespace Recouvrement.Webhooks;

/// <summary>A creditor's subscription as stored: where to post, which event types, and its secret, encrypted.</summary>
/// <param name="Events">Event types (<see cref="EventTypes"/>), or <see cref="AllEvents"/> alone.</param>
/// <param name="EncryptedSecret">The signing secret sealed with the silos' key; never leaves the silos in clear but once, at creation.</param>
/// <param name="CreatedAt">Engine time; the subscription receives the events that occurred from then on.</param>
[GenerateSerializer, Immutable, Alias("rc.WebhookSubscription")]
public sealed record WebhookSubscription(
    [property: Id(0)] string Id,
    [property: Id(1)] string CreditorId,
    [property: Id(2)] string Url,
    [property: Id(3)] IReadOnlyList<string> Events,
    [property: Id(4)] string EncryptedSecret,
    [property: Id(5)] DateTimeOffset CreatedAt)
{
    /// <summary>Subscribes to every type, present and future.</summary>
    public const string AllEvents = "*";

    public bool Wants(string type) => Events.Contains(AllEvents) || Events.Contains(type);

    /// <summary>The delivery grain's key: <c>{creditorId}/{subscriptionId}</c>.</summary>
    public string WorkerKey => GrainKeys.Compose(CreditorId, Id);
}

[GenerateSerializer, Alias("rc.WebhookStatus")]
public enum WebhookStatus
{
    Active = 0,
    Disabled = 1,
}

/// <summary>A subscription as its creditor sees it: never its secret.</summary>
/// <param name="DisabledReason">Why deliveries stopped, once disabled.</param>
/// <param name="FailingSince">While the event at the head of the subscription keeps failing: since when (engine time).</param>
/// <param name="NextAttemptAt">While failing: when it is tried again.</param>
[GenerateSerializer, Immutable, Alias("rc.WebhookView")]
public sealed record WebhookView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Url,
    [property: Id(2)] IReadOnlyList<string> Events,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] WebhookStatus Status,
    [property: Id(5)] string? DisabledReason = null,
    [property: Id(6)] DateTimeOffset? DisabledAt = null,
    [property: Id(7)] DateTimeOffset? FailingSince = null,
    [property: Id(8)] DateTimeOffset? NextAttemptAt = null);

/// <summary>One delivery attempt of one event, as the deliveries log keeps it.</summary>
/// <param name="Attempt">1 for the event's first attempt, then 2, 3… while it is retried.</param>
/// <param name="HttpStatus">The receiver's answer, or null when none came (timeout, connection refused, refused target).</param>
/// <param name="Error">Null when delivered (2xx); else what went wrong.</param>
/// <param name="Duration">Real time from sending the request to its answer or failure.</param>
/// <param name="At">Engine time when the attempt started.</param>
[GenerateSerializer, Immutable, Alias("rc.WebhookDelivery")]
public sealed record WebhookDelivery(
    [property: Id(0)] string EventId,
    [property: Id(1)] string Type,
    [property: Id(2)] int Attempt,
    [property: Id(3)] int? HttpStatus,
    [property: Id(4)] string? Error,
    [property: Id(5)] TimeSpan Duration,
    [property: Id(6)] DateTimeOffset At);

/// <summary>A new subscription and its secret (shown this once); or, with <see cref="LimitReached"/>, none.</summary>
[GenerateSerializer, Immutable, Alias("rc.WebhookCreation")]
public sealed record WebhookCreation(
    [property: Id(0)] WebhookView? Webhook,
    [property: Id(1)] string? Secret,
    [property: Id(2)] bool LimitReached = false);

/// <summary>A place in the event log, as grain state keeps it (<see cref="EventCursor"/> is not serializable by Orleans).</summary>
[GenerateSerializer, Immutable, Alias("rc.LogPosition")]
public readonly record struct LogPosition([property: Id(0)] ulong Transaction, [property: Id(1)] long Position)
{
    public EventCursor Cursor => new(Transaction, Position);

    public static LogPosition Of(EventCursor cursor) => new(cursor.Transaction, cursor.Position);
}

/// <summary>What a delivery run needs to start: the subscription and where its cursor stands.</summary>
[GenerateSerializer, Immutable, Alias("rc.WebhookRun")]
public sealed record WebhookRun(
    [property: Id(0)] WebhookSubscription Subscription,
    [property: Id(1)] LogPosition Position);

/// <summary>What became of one attempt to deliver the event at <see cref="EventPosition"/>.</summary>
/// <param name="RetryAfter">The receiver's <c>Retry-After</c>, when it failed and said when to come back.</param>
[GenerateSerializer, Immutable, Alias("rc.WebhookAttempt")]
public sealed record WebhookAttempt(
    [property: Id(0)] string EventId,
    [property: Id(1)] string Type,
    [property: Id(2)] LogPosition EventPosition,
    [property: Id(3)] bool Delivered,
    [property: Id(4)] int? HttpStatus,
    [property: Id(5)] string? Error,
    [property: Id(6)] TimeSpan Duration,
    [property: Id(7)] DateTimeOffset At,
    [property: Id(8)] TimeSpan? RetryAfter = null);
