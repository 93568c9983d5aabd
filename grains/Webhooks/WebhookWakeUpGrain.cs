using Orleans.Streams;
using Orleans.Streams.Core;
using Recouvrement.Events;

namespace Recouvrement.Webhooks;

/// <summary>
/// Wakes the webhooks of one event stream's creditor as its events pass (an implicit stream subscriber, one per
/// stream): each event is a one-way nudge to the creditor's webhooks grain, which pokes the subscriptions that want
/// it. The events themselves are read from the log by each subscription's delivery, in log order, so the stream only
/// makes them start within a second instead of at the next reminder, and a lost nudge only delays.
/// </summary>
[ImplicitStreamSubscription(EventStreams.Namespace)]
public sealed class WebhookWakeUpGrain : Grain, IWebhookWakeUpGrain, IStreamSubscriptionObserver, IAsyncObserver<EngineEvent>
{
    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) => handleFactory.Create<EngineEvent>().ResumeAsync(this);

    public Task OnNextAsync(EngineEvent item, StreamSequenceToken? token = null) =>
        GrainFactory.Reference<ICreditorWebhooksGrain>(item.CreditorId).EventArrived(item.Type);

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}
