using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Recouvrement.Webhooks;

/// <summary>
/// One subscription's deliveries: its cursor over the creditor's event log, the event that keeps failing, the last
/// attempts. It decides with <see cref="WebhookDecisions"/>, persists once per attempt, and leaves the sending to
/// <see cref="WebhookDeliveryRunner"/>, outside its turns.
/// </summary>
/// <remarks>
/// Three wake-ups start a run: a poke from the event stream (within a second of an event), a timer on the engine
/// clock while an event waits to be retried, and a reminder every <see cref="CreditorWebhookOptions.WakeUpInterval"/>,
/// durable, for whatever the other two missed (a silo lost, this activation collected). A run started while one is
/// going runs right after it; a run with nothing to do ends at once. Runs that overlap anyway (a lost activation's
/// run still going) are told apart by the position they report from: only one can move the cursor.
/// </remarks>
public sealed partial class WebhookDeliveryGrain(
    [PersistentState("webhook", StorageNames.Default)] IPersistentState<WebhookDeliveryState> state,
    [FromKeyedServices(EngineClock.Key)] TimeProvider clock,
    WebhookDeliveryRunner runner,
    IOptions<CreditorWebhookOptions> options,
    ILogger<WebhookDeliveryGrain> logger) : Grain, IWebhookDeliveryGrain, IRemindable
{
    private const string Reminder = "webhook";

    private bool delivering;
    private bool deliverAgain;
    private DateTimeOffset? retryTimerAt;

    private CreditorWebhookOptions Options => options.Value;

    public async Task Open(WebhookSubscription subscription)
    {
        if (state.State.Subscription is not null)
        {
            return;
        }

        // The wake-up first: one with nothing to do is harmless, a subscription without one is not.
        await this.RegisterOrUpdateReminder(Reminder, Options.WakeUpInterval, Options.WakeUpInterval);
        state.State = new WebhookDeliveryState { Subscription = subscription };
        await state.WriteStateAsync();
    }

    public async Task Close()
    {
        StopRetryTimer();
        if (state.RecordExists)
        {
            await state.ClearStateAsync();
        }

        state.State = new WebhookDeliveryState();
        await StopReminder();
    }

    public Task<WebhookView?> View() => Task.FromResult(WebhookDecisions.View(state.State));

    public Task<IReadOnlyList<WebhookDelivery>> Deliveries() => Task.FromResult<IReadOnlyList<WebhookDelivery>>(state.State.Deliveries);

    public Task Poke()
    {
        StartDelivery();
        return Task.CompletedTask;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (state.State.Subscription is { } subscription
            && !await GrainFactory.Reference<ICreditorWebhooksGrain>(subscription.CreditorId).Lists(subscription.Id))
        {
            // Its creation or deletion failed halfway: nothing is delivered for a subscription its creditor cannot see.
            await Close();
            return;
        }

        if (state.State.Active)
        {
            StartDelivery();
        }
        else
        {
            await StopReminder();
        }
    }

    public Task<WebhookRun?> BeginRun() => Task.FromResult(WebhookDecisions.MayDeliver(state.State, clock.GetUtcNow())
        ? new WebhookRun(state.State.Subscription!, state.State.Position)
        : null);

    public async Task<bool> Record(LogPosition from, WebhookAttempt attempt)
    {
        if (!state.State.Active || state.State.Position != from)
        {
            return false;
        }

        state.State = WebhookDecisions.Record(state.State, attempt, clock.GetUtcNow(), Options);
        return await AfterRecord(attempt.EventId);
    }

    /// <summary>Persists what an attempt changed, then stops the run when an event failed or the subscription is disabled.</summary>
    private async Task<bool> AfterRecord(string? eventId)
    {
        await state.WriteStateAsync();
        if (state.State.DisabledAt is not null)
        {
            LogDisabled(logger, state.State.Subscription!.Id, eventId ?? state.State.Deliveries.FirstOrDefault()?.EventId ?? "?");
            StopRetryTimer();
            GrainFactory.Reference<ICreditorWebhooksGrain>(state.State.Subscription.CreditorId).SubscriptionDisabled(state.State.Subscription.Id).Ignore();
            await StopReminder();
            return false;
        }

        if (state.State.Failing is { } failing)
        {
            LogRetry(logger, state.State.Subscription!.Id, failing.EventId, failing.Attempts, failing.NextAttemptAt);
            RetryAt(failing.NextAttemptAt);
            return false;
        }

        return true;
    }

    public async Task<bool> RecordPage(LogPosition from, IReadOnlyList<WebhookAttempt> attempts, LogPosition through)
    {
        if (!state.State.Active || state.State.Position != from)
        {
            return false;
        }

        state.State = WebhookDecisions.RecordPage(state.State, attempts, through, clock.GetUtcNow(), Options);
        return await AfterRecord(attempts.FirstOrDefault(a => !a.Delivered)?.EventId);
    }

    public async Task<bool> Skip(LogPosition from, LogPosition to)
    {
        if (!state.State.Active || state.State.Position != from)
        {
            return false;
        }

        state.State = state.State with { Position = to };
        await state.WriteStateAsync();
        return true;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        StopRetryTimer();
        return Task.CompletedTask;
    }

    /// <summary>One run at a time; a wake-up during one makes another follow it, which reads what came meanwhile.</summary>
    private void StartDelivery()
    {
        if (!state.State.Active)
        {
            return;
        }

        if (delivering)
        {
            deliverAgain = true;
            return;
        }

        if (state.State.Failing is { } failing && failing.NextAttemptAt > clock.GetUtcNow())
        {
            RetryAt(failing.NextAttemptAt);
            return;
        }

        delivering = true;
        _ = Deliver();
    }

    private async Task Deliver()
    {
        try
        {
            do
            {
                deliverAgain = false;
                await Task.Run(() => runner.RunAsync(this.GetPrimaryKeyString()));
            }
            while (deliverAgain);
        }
        finally
        {
            delivering = false;
        }
    }

    /// <summary>
    /// A timer on the engine clock, in this activation, for the retry of a failed event; the reminder covers its loss.
    /// A timer replaced by a later one, or stopped, finds another time set when it fires, and does nothing.
    /// </summary>
    private void RetryAt(DateTimeOffset at)
    {
        if (retryTimerAt == at)
        {
            return;
        }

        retryTimerAt = at;
        _ = RetryAfter(at, at - clock.GetUtcNow());
    }

    private async Task RetryAfter(DateTimeOffset at, TimeSpan due)
    {
        if (due > TimeSpan.Zero)
        {
            await Task.Delay(due, clock);
        }

        if (retryTimerAt == at)
        {
            retryTimerAt = null;
            StartDelivery();
        }
    }

    private void StopRetryTimer() => retryTimerAt = null;

    private async Task StopReminder()
    {
        if (await this.GetReminder(Reminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {SubscriptionId}: event {EventId} failed (attempt {Attempt}); next attempt at {NextAttemptAt:O}")]
    private static partial void LogRetry(ILogger logger, string subscriptionId, string eventId, int attempt, DateTimeOffset nextAttemptAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {SubscriptionId} disabled: event {EventId} kept failing")]
    private static partial void LogDisabled(ILogger logger, string subscriptionId, string eventId);
}
