using System.Globalization;

namespace Recouvrement.Webhooks;

/// <summary>What a subscription's delivery grain persists.</summary>
/// <param name="Failing">The event at the head of the log while it keeps failing; null while deliveries succeed.</param>
[GenerateSerializer, Alias("rc.WebhookDeliveryState")]
public sealed record WebhookDeliveryState
{
    [Id(0)] public WebhookSubscription? Subscription { get; init; }

    /// <summary>The subscription's cursor: every event up to it was delivered (or was not for it).</summary>
    [Id(1)] public LogPosition Position { get; init; }

    [Id(2)] public FailingEvent? Failing { get; init; }

    /// <summary>The last attempts, newest first.</summary>
    [Id(3)] public ImmutableList<WebhookDelivery> Deliveries { get; init; } = [];

    [Id(4)] public DateTimeOffset? DisabledAt { get; init; }

    [Id(5)] public string? DisabledReason { get; init; }

    public bool Active => Subscription is not null && DisabledAt is null;
}

/// <summary>An event that failed: how many times, since when, and when it is tried again (engine time).</summary>
[GenerateSerializer, Immutable, Alias("rc.WebhookFailingEvent")]
public sealed record FailingEvent(
    [property: Id(0)] string EventId,
    [property: Id(1)] int Attempts,
    [property: Id(2)] DateTimeOffset FirstFailedAt,
    [property: Id(3)] DateTimeOffset NextAttemptAt);

/// <summary>
/// The delivery rules, without Orleans: an event is retried, alone and in place, with waits that double from
/// <see cref="CreditorWebhookOptions.RetryBaseDelay"/> up to <see cref="CreditorWebhookOptions.MaxRetryDelay"/> (or
/// what the receiver's <c>Retry-After</c> asks, within that bound), until it was failing for
/// <see cref="CreditorWebhookOptions.DisableAfter"/>; then the subscription is disabled.
/// </summary>
public static class WebhookDecisions
{
    /// <summary>Whether a delivery run may start now.</summary>
    public static bool MayDeliver(WebhookDeliveryState state, DateTimeOffset now) =>
        state.Active && (state.Failing is null || state.Failing.NextAttemptAt <= now);

    /// <summary>The wait after an event's <paramref name="failures"/>-th failure in a row.</summary>
    public static TimeSpan RetryDelay(int failures, TimeSpan? retryAfter, CreditorWebhookOptions options)
    {
        if (retryAfter is { } asked)
        {
            return asked < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : asked > options.MaxRetryDelay ? options.MaxRetryDelay : asked;
        }

        // Doubling stops well before it could overflow: 2^20 times a second is already twelve days.
        var doublings = Math.Min(Math.Max(failures - 1, 0), 20);
        var delay = options.RetryBaseDelay * Math.Pow(2, doublings);
        return delay > options.MaxRetryDelay ? options.MaxRetryDelay : delay;
    }

    /// <summary>
    /// An attempt's result: the deliveries log gains it; a delivered event moves the cursor past it, a failed one waits
    /// to be tried again, or, failing since <see cref="CreditorWebhookOptions.DisableAfter"/>, disables the subscription.
    /// </summary>
    public static WebhookDeliveryState Record(WebhookDeliveryState state, WebhookAttempt attempt, DateTimeOffset now, CreditorWebhookOptions options)
    {
        var again = state.Failing is { } failing && failing.EventId == attempt.EventId;
        var number = again ? state.Failing!.Attempts + 1 : 1;
        var entry = new WebhookDelivery(attempt.EventId, attempt.Type, number, attempt.HttpStatus, attempt.Error, attempt.Duration, attempt.At);
        var log = state.Deliveries.Insert(0, entry);
        if (log.Count > options.DeliveryLogSize)
        {
            log = log.RemoveRange(options.DeliveryLogSize, log.Count - options.DeliveryLogSize);
        }

        if (attempt.Delivered)
        {
            return state with { Position = attempt.EventPosition, Failing = null, Deliveries = log };
        }

        var since = again ? state.Failing!.FirstFailedAt : attempt.At;
        if (now - since >= options.DisableAfter)
        {
            var days = (now - since).TotalDays.ToString("0.#", CultureInfo.InvariantCulture);
            return state with
            {
                Failing = null,
                Deliveries = log,
                DisabledAt = now,
                DisabledReason = $"event {attempt.EventId} ({attempt.Type}) failed for {days} days, {number} attempts; the last: {Describe(attempt)}",
            };
        }

        return state with
        {
            Failing = new FailingEvent(attempt.EventId, number, since, now + RetryDelay(number, attempt.RetryAfter, options)),
            Deliveries = log,
        };
    }

    /// <summary>
    /// A page's attempts, in log order: each is recorded as <see cref="Record"/> does until the first that did not
    /// move the cursor (it failed, or disabled the subscription); the attempts after it join the deliveries log only,
    /// and their events are delivered again once it is. A page delivered whole moves the cursor to <paramref name="through"/>.
    /// </summary>
    public static WebhookDeliveryState RecordPage(
        WebhookDeliveryState state, IReadOnlyList<WebhookAttempt> attempts, LogPosition through, DateTimeOffset now, CreditorWebhookOptions options)
    {
        var stopped = false;
        foreach (var attempt in attempts.OrderBy(a => a.EventPosition.Transaction).ThenBy(a => a.EventPosition.Position))
        {
            if (!stopped)
            {
                state = Record(state, attempt, now, options);
                stopped = state.Failing is not null || state.DisabledAt is not null;
                continue;
            }

            var entry = new WebhookDelivery(attempt.EventId, attempt.Type, 1, attempt.HttpStatus, attempt.Error, attempt.Duration, attempt.At);
            var log = state.Deliveries.Insert(0, entry);
            state = state with { Deliveries = log.Count > options.DeliveryLogSize ? log.RemoveRange(options.DeliveryLogSize, log.Count - options.DeliveryLogSize) : log };
        }

        return stopped ? state : state with { Position = through };
    }

    public static WebhookView? View(WebhookDeliveryState state) => state.Subscription is not { } s ? null : new WebhookView(
        s.Id, s.Url, s.Events, s.CreatedAt,
        state.DisabledAt is null ? WebhookStatus.Active : WebhookStatus.Disabled,
        state.DisabledReason, state.DisabledAt, state.Failing?.FirstFailedAt, state.Failing?.NextAttemptAt);

    private static string Describe(WebhookAttempt attempt) =>
        attempt.Error ?? (attempt.HttpStatus is { } status ? $"HTTP {status}" : "failed");
}
