namespace Recouvrement.Webhooks;

/// <summary>
/// A creditor's webhook subscriptions, keyed by the creditor's id: the API's one door to them, so a creditor only
/// ever reaches its own. Each subscription is delivered by its own <see cref="IWebhookDeliveryGrain"/>; this grain
/// awaits them; they await it only in <see cref="Lists"/>, which interleaves.
/// </summary>
public interface ICreditorWebhooksGrain : IGrainWithStringKey
{
    /// <summary>
    /// Subscribes <paramref name="url"/> (already validated) to <paramref name="events"/>: a new id and secret, the
    /// secret returned this once. <see cref="WebhookCreation.LimitReached"/> when the creditor holds as many as allowed.
    /// </summary>
    Task<WebhookCreation> Create(string url, IReadOnlyList<string> events);

    /// <summary>Every subscription, oldest first, each with its status.</summary>
    Task<IReadOnlyList<WebhookView>> List();

    /// <summary>One subscription, or null when the creditor has none of this id.</summary>
    Task<WebhookView?> Get(string id);

    /// <summary>Stops and forgets the subscription. False when the creditor has none of this id.</summary>
    Task<bool> Delete(string id);

    /// <summary>The subscription's last delivery attempts, newest first; null when the creditor has none of this id.</summary>
    Task<IReadOnlyList<WebhookDelivery>?> Deliveries(string id);

    /// <summary>
    /// An event of this type reached the event stream: wakes the active subscriptions that want it, so their deliveries
    /// start at once rather than at their next reminder. One-way: the stream never waits for it.
    /// </summary>
    [OneWay]
    Task EventArrived(string type);

    /// <summary>
    /// Whether the creditor lists this subscription: asked by its delivery grain at each reminder, so that one whose
    /// creation or deletion failed halfway stops. Interleaves (it only reads), since this grain may be awaiting that
    /// delivery grain at the same time.
    /// </summary>
    [AlwaysInterleave]
    Task<bool> Lists(string id);

    /// <summary>Told by a subscription's delivery grain when it disabled itself, so that events stop waking it. One-way.</summary>
    [OneWay]
    Task SubscriptionDisabled(string id);
}

/// <summary>
/// Delivers one subscription, keyed <c>{creditorId}/{subscriptionId}</c>: a cursor over its creditor's event log,
/// moved past an event only once the receiver answered 2xx. Sending runs outside its turns
/// (the silo's webhook delivery runner); the runner calls <see cref="BeginRun"/>, then <see cref="Record"/> after each
/// attempt. A position that is no longer the grain's (another run moved it) stops that run.
/// </summary>
public interface IWebhookDeliveryGrain : IGrainWithStringKey
{
    /// <summary>Starts delivering the subscription, from the events that occur after its creation. Opening it again changes nothing.</summary>
    Task Open(WebhookSubscription subscription);

    /// <summary>Stops delivering and forgets everything: the subscription was deleted.</summary>
    Task Close();

    /// <summary>The subscription and its status; null when never opened, or closed.</summary>
    [ReadOnly]
    Task<WebhookView?> View();

    /// <summary>The last attempts, newest first.</summary>
    [ReadOnly]
    Task<IReadOnlyList<WebhookDelivery>> Deliveries();

    /// <summary>There may be new events: start a delivery run unless one is running, the subscription waits to retry, or it is disabled.</summary>
    [OneWay]
    Task Poke();

    /// <summary>What the runner needs to deliver, or null when nothing may be sent now (disabled, closed, waiting to retry).</summary>
    Task<WebhookRun?> BeginRun();

    /// <summary>
    /// Records an attempt made from <paramref name="from"/> (the events between it and the attempted one were not for
    /// this subscription). True: delivered, go on with the next event; false: stop (it failed and waits to retry, the
    /// subscription is disabled or closed, or <paramref name="from"/> is not the grain's position any more).
    /// </summary>
    Task<bool> Record(LogPosition from, WebhookAttempt attempt);

    /// <summary>
    /// Records the attempts of one page read from <paramref name="from"/>, made several at a time (in log order here).
    /// The cursor moves past each delivered event up to the first that failed, which waits to be retried; events after
    /// it are attempted again after it. When every attempt was delivered the cursor moves to <paramref name="through"/>,
    /// the page's last event. True: go on with the next page; false: stop, as for <see cref="Record"/>.
    /// </summary>
    Task<bool> RecordPage(LogPosition from, IReadOnlyList<WebhookAttempt> attempts, LogPosition through);

    /// <summary>Moves the cursor from <paramref name="from"/> over events not for this subscription. False when the run must stop.</summary>
    Task<bool> Skip(LogPosition from, LogPosition to);
}

/// <summary>Hears the event stream and wakes the creditor's webhooks: one per stream, an implicit stream subscriber.</summary>
public interface IWebhookWakeUpGrain : IGrainWithStringKey;
