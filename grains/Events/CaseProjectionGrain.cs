using Orleans.Streams;
using Orleans.Streams.Core;
using Recouvrement.Events;

namespace Recouvrement.Events;

/// <summary>
/// Keeps the read model from one event stream: each case event carries the case as it now stands, which is upserted
/// over an older one (by the case's event sequence), so a redelivered or late event changes nothing. An event is
/// acknowledged once its summary is durable.
/// </summary>
[ImplicitStreamSubscription(EventStreams.Namespace)]
public sealed class CaseProjectionGrain(ICaseSummaryWriter summaries) : Grain, ICaseProjectionGrain, IStreamSubscriptionObserver, IAsyncObserver<EngineEvent>
{
    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) => handleFactory.Create<EngineEvent>().ResumeAsync(this);

    public Task OnNextAsync(EngineEvent item, StreamSequenceToken? token = null) =>
        item.Summary is { } summary ? summaries.ApplyAsync(item.CreditorId, summary) : Task.CompletedTask;

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}
