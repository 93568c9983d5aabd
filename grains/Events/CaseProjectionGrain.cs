using Orleans.Streams;
using Orleans.Streams.Core;
using Recouvrement.Events;

namespace Recouvrement.Events;

/// <summary>
/// Keeps the read model from one event stream: each case event carries the case as it now stands, which is upserted
/// over an older one (by the case's event sequence), so a redelivered or late event changes nothing. Events come in
/// batches (what the relay handed over at once for this stream, several of them when the stream has a backlog): each
/// case's events go to the writer together, in order, which stores the latest summary and counts every event not yet
/// counted in the report counters (a payment in the middle of a batch counts too), all the batch's in one group
/// commit. A batch is acknowledged once its summaries and counters are durable.
/// </summary>
[ImplicitStreamSubscription(EventStreams.Namespace)]
public sealed class CaseProjectionGrain(ICaseSummaryWriter summaries) : Grain, ICaseProjectionGrain, IStreamSubscriptionObserver, IAsyncBatchObserver<EngineEvent>
{
    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) => handleFactory.Create<EngineEvent>().ResumeAsync(this);

    public Task OnNextAsync(IList<SequentialItem<EngineEvent>> items) => Task.WhenAll(ByCase(items.Select(i => i.Item))
        .Select(events => summaries.ApplyAsync(events[0].CreditorId, events)));

    /// <summary>Each case's events, in its order: the writer handles them as one item, so no two writers split a case.</summary>
    public static IEnumerable<IReadOnlyList<EngineEvent>> ByCase(IEnumerable<EngineEvent> events) => events
        .Where(e => e.Summary is not null)
        .GroupBy(e => (e.CreditorId, e.Summary!.Reference))
        .Select(g => (IReadOnlyList<EngineEvent>)[.. g.OrderBy(e => e.Sequence)]);

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}
