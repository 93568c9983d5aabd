using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Recouvrement.Webhooks;

/// <summary>What a creditor's webhooks grain persists: its subscriptions (secrets sealed), and those known disabled.</summary>
[GenerateSerializer, Alias("rc.CreditorWebhooksState")]
public sealed record CreditorWebhooksState
{
    [Id(0)] public ImmutableList<WebhookSubscription> Subscriptions { get; init; } = [];

    /// <summary>Subscriptions whose delivery grain said it disabled itself: events no longer wake them.</summary>
    [Id(1)] public ImmutableHashSet<string> Disabled { get; init; } = [];
}

/// <summary>
/// A creditor's subscriptions. A subscription's delivery grain is opened before the subscription is listed and closed
/// before it is unlisted, so that nothing is delivered for a subscription its creditor cannot see and delete; should a
/// failure leave one open unlisted all the same, it closes itself at its next reminder.
/// </summary>
public sealed class CreditorWebhooksGrain(
    [PersistentState("webhooks", StorageNames.Default)] IPersistentState<CreditorWebhooksState> state,
    [FromKeyedServices(EngineClock.Key)] TimeProvider clock,
    WebhookSecrets secrets,
    IOptions<CreditorWebhookOptions> options) : Grain, ICreditorWebhooksGrain
{
    /// <summary>How a listed subscription whose delivery grain holds nothing is shown (its opening or closing was cut short).</summary>
    public const string NotRunning = "not running (its start or its deletion was interrupted): delete it and create a new one";

    private string CreditorId => this.GetPrimaryKeyString();

    public async Task<WebhookCreation> Create(string url, IReadOnlyList<string> events)
    {
        if (state.State.Subscriptions.Count >= options.Value.MaxSubscriptions)
        {
            return new WebhookCreation(null, null, LimitReached: true);
        }

        var id = NewId();
        var secret = WebhookSecrets.NewSecret();
        var subscription = new WebhookSubscription(id, CreditorId, url, events, secrets.Seal(secret, GrainKeys.Compose(CreditorId, id)), clock.GetUtcNow());
        var worker = Worker(subscription);
        try
        {
            await worker.Open(subscription);
            state.State = state.State with { Subscriptions = state.State.Subscriptions.Add(subscription) };
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = state.State with { Subscriptions = state.State.Subscriptions.Remove(subscription) };
            try
            {
                await worker.Close();
            }
            catch (Exception)
            {
                // The caller is told of the first failure. A delivery grain left open finds itself unlisted at its next
                // reminder and closes (IWebhookDeliveryGrain asks Lists).
            }

            throw;
        }

        return new WebhookCreation(await worker.View(), secret);
    }

    public async Task<IReadOnlyList<WebhookView>> List() =>
        await Task.WhenAll(state.State.Subscriptions.Select(ViewOf));

    public async Task<WebhookView?> Get(string id) => Find(id) is { } subscription ? await ViewOf(subscription) : null;

    public async Task<bool> Delete(string id)
    {
        if (Find(id) is not { } subscription)
        {
            return false;
        }

        await Worker(subscription).Close();
        state.State = state.State with
        {
            Subscriptions = state.State.Subscriptions.Remove(subscription),
            Disabled = state.State.Disabled.Remove(id),
        };
        await state.WriteStateAsync();
        return true;
    }

    public async Task<IReadOnlyList<WebhookDelivery>?> Deliveries(string id) =>
        Find(id) is { } subscription ? await Worker(subscription).Deliveries() : null;

    public Task EventArrived(string type)
    {
        foreach (var subscription in state.State.Subscriptions)
        {
            if (subscription.Wants(type) && !state.State.Disabled.Contains(subscription.Id))
            {
                Worker(subscription).Poke().Ignore();
            }
        }

        return Task.CompletedTask;
    }

    public Task<bool> Lists(string id) => Task.FromResult(Find(id) is not null);

    public async Task SubscriptionDisabled(string id)
    {
        if (Find(id) is not null && !state.State.Disabled.Contains(id))
        {
            state.State = state.State with { Disabled = state.State.Disabled.Add(id) };
            await state.WriteStateAsync();
        }
    }

    private async Task<WebhookView> ViewOf(WebhookSubscription subscription) =>
        await Worker(subscription).View() ?? new WebhookView(
            subscription.Id, subscription.Url, subscription.Events, subscription.CreatedAt, WebhookStatus.Disabled, NotRunning);

    private WebhookSubscription? Find(string id) => state.State.Subscriptions.Find(s => s.Id == id);

    private IWebhookDeliveryGrain Worker(WebhookSubscription subscription) => GrainFactory.Reference<IWebhookDeliveryGrain>(subscription.WorkerKey);

    private string NewId()
    {
        while (true)
        {
            var id = "wh_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            if (Find(id) is null)
            {
                return id;
            }
        }
    }
}
