using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recouvrement.Events;

namespace Recouvrement.Webhooks;

/// <summary>
/// Runs a subscription's deliveries outside any turn of its grain, as the debtors' dispatch does: asks the grain where
/// its cursor stands (<see cref="IWebhookDeliveryGrain.BeginRun"/>), reads the creditor's events after it in log
/// order, posts those the subscription wants (the run's first alone, then a page's several cases at a time, each
/// case's in order) and reports them (<see cref="IWebhookDeliveryGrain.Record"/>, then one
/// <see cref="IWebhookDeliveryGrain.RecordPage"/> per page), which moves the cursor past delivered events or stops the
/// run on a failure. A slow receiver holds this run, never the grain, another subscription or the engine.
/// </summary>
public sealed partial class WebhookDeliveryRunner(
    IGrainFactory grains,
    IEventLog log,
    WebhookSender sender,
    WebhookSecrets secrets,
    IOptions<CreditorWebhookOptions> options,
    ILogger<WebhookDeliveryRunner> logger)
{
    /// <summary>Events read from the log at a time.</summary>
    public const int PageSize = 200;

    /// <summary>Pages of unwanted events read before the cursor is moved past them without a delivery.</summary>
    private const int SkipEveryPages = 50;

    public async Task RunAsync(string key)
    {
        var grain = grains.Reference<IWebhookDeliveryGrain>(key);
        try
        {
            if (await grain.BeginRun() is not { } run)
            {
                return;
            }

            var subscription = run.Subscription;
            var secret = secrets.Open(subscription.EncryptedSecret, subscription.WorkerKey);
            // The grain's cursor (from) moves with each delivery; events the subscription does not want are passed over
            // (passed) and the cursor jumps them with the next delivery, or with a skip once the log is read to its end
            // or many pages were passed, so a new subscription walking an old log writes its state rarely.
            var from = run.Position;
            var passed = from;
            var pagesPassed = 0;
            var first = true;
            while (true)
            {
                var page = await log.ReadAsync(subscription.CreditorId, passed.Cursor, null, PageSize);
                if (page.Count == 0 || ++pagesPassed >= SkipEveryPages)
                {
                    if (passed != from && !await grain.Skip(from, passed))
                    {
                        return;
                    }

                    from = passed;
                    pagesPassed = 0;
                    if (page.Count == 0)
                    {
                        return;
                    }
                }

                var wanted = page.Where(stored => stored.Event.OccurredAt >= subscription.CreatedAt && subscription.Wants(stored.Event.Type)).ToList();
                var through = LogPosition.Of(page[^1].Cursor);
                if (first && wanted.Count > 0)
                {
                    // A run's first event goes alone: it may be the one that failed, which is retried alone.
                    first = false;
                    var attempt = await SendAsync(subscription, secret, wanted[0]);
                    if (!await grain.Record(from, attempt))
                    {
                        return;
                    }

                    from = passed = attempt.EventPosition;
                    pagesPassed = 0;
                    wanted.RemoveAt(0);
                }

                if (wanted.Count == 0)
                {
                    passed = through;
                    continue;
                }

                if (!await grain.RecordPage(from, await SendPageAsync(subscription, secret, wanted), through))
                {
                    return;
                }

                from = passed = through;
                pagesPassed = 0;
            }
        }
        catch (Exception e)
        {
            // The subscription's reminder starts a run again; the cursor only ever moved past delivered events.
            LogRunFailed(logger, e, key);
        }
    }

    /// <summary>
    /// A page's events, several cases at a time (<see cref="CreditorWebhookOptions.Concurrency"/>), each case's in log
    /// order and stopped at its first failure, so that no case's event arrives before an earlier one of the same case.
    /// </summary>
    private async Task<IReadOnlyList<WebhookAttempt>> SendPageAsync(WebhookSubscription subscription, byte[] secret, List<StoredEvent> wanted)
    {
        var attempts = new System.Collections.Concurrent.ConcurrentBag<WebhookAttempt>();
        var cases = wanted.GroupBy(stored => stored.Event.CaseReference ?? stored.Event.DebtorReference, StringComparer.Ordinal);
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = options.Value.Concurrency }, async (events, _) =>
        {
            foreach (var stored in events)
            {
                var attempt = await SendAsync(subscription, secret, stored);
                attempts.Add(attempt);
                if (!attempt.Delivered)
                {
                    return;
                }
            }
        });
        return [.. attempts];
    }

    private async Task<WebhookAttempt> SendAsync(WebhookSubscription subscription, byte[] secret, StoredEvent stored)
    {
        var attempt = await sender.SendAsync(subscription, secret, stored);
        LogAttempt(logger, subscription.Id, attempt.EventId, attempt.Delivered, attempt.HttpStatus, attempt.Duration.TotalMilliseconds);
        return attempt;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Webhook {SubscriptionId} event {EventId}: delivered {Delivered}, HTTP {Status}, {DurationMs} ms")]
    private static partial void LogAttempt(ILogger logger, string subscriptionId, string eventId, bool delivered, int? status, double durationMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A webhook delivery run of {Key} ended in an error; its reminder starts it again")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, string key);
}
