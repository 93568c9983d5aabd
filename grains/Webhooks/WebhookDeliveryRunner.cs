using Microsoft.Extensions.Logging;
using Recouvrement.Events;

namespace Recouvrement.Webhooks;

/// <summary>
/// Runs a subscription's deliveries outside any turn of its grain, as the debtors' dispatch does: asks the grain where
/// its cursor stands (<see cref="IWebhookDeliveryGrain.BeginRun"/>), reads the creditor's events after it in log
/// order, posts those the subscription wants one at a time, and reports each attempt
/// (<see cref="IWebhookDeliveryGrain.Record"/>), which moves the cursor past a delivered event or stops the run on a
/// failure. A slow receiver holds this run, never the grain, another subscription or the engine.
/// </summary>
public sealed partial class WebhookDeliveryRunner(
    IGrainFactory grains,
    IEventLog log,
    WebhookSender sender,
    WebhookSecrets secrets,
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

                foreach (var stored in page)
                {
                    if (stored.Event.OccurredAt < subscription.CreatedAt || !subscription.Wants(stored.Event.Type))
                    {
                        passed = LogPosition.Of(stored.Cursor);
                        continue;
                    }

                    var attempt = await sender.SendAsync(subscription, secret, stored);
                    LogAttempt(logger, subscription.Id, attempt.EventId, attempt.Delivered, attempt.HttpStatus, attempt.Duration.TotalMilliseconds);
                    if (!await grain.Record(from, attempt))
                    {
                        return;
                    }

                    from = passed = attempt.EventPosition;
                    pagesPassed = 0;
                }
            }
        }
        catch (Exception e)
        {
            // The subscription's reminder starts a run again; the cursor only ever moved past delivered events.
            LogRunFailed(logger, e, key);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Webhook {SubscriptionId} event {EventId}: delivered {Delivered}, HTTP {Status}, {DurationMs} ms")]
    private static partial void LogAttempt(ILogger logger, string subscriptionId, string eventId, bool delivered, int? status, double durationMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A webhook delivery run of {Key} ended in an error; its reminder starts it again")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, string key);
}
