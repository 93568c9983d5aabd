using Orleans.Streams;
using Orleans.Streams.Core;
using Recouvrement.Events;

namespace Recouvrement.Events;

/// <summary>
/// Keeps the read model from one event stream: each case event carries the case as it now stands, which is upserted
/// over an older one (by the case's event sequence), so a redelivered or late event changes nothing. Events come in
/// batches (what the relay handed over at once for this stream, several of them when the stream has a backlog): of
/// each case only the latest summary is written, all the batch's in one group commit. A batch is acknowledged once
/// its summaries are durable.
/// </summary>
[ImplicitStreamSubscription(EventStreams.Namespace)]
public sealed class CaseProjectionGrain(ICaseSummaryWriter summaries) : Grain, ICaseProjectionGrain, IStreamSubscriptionObserver, IAsyncBatchObserver<EngineEvent>
{
    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) => handleFactory.Create<EngineEvent>().ResumeAsync(this);

    public Task OnNextAsync(IList<SequentialItem<EngineEvent>> items) => Task.WhenAll(Latest(items.Select(i => i.Item))
        .Select(e => summaries.ApplyAsync(e.CreditorId, e.Summary!)));

    /// <summary>The event with the newest summary of each case (a case's older summaries would change nothing after it).</summary>
    public static IEnumerable<EngineEvent> Latest(IEnumerable<EngineEvent> events) => events
        .Where(e => e.Summary is not null)
        .GroupBy(e => (e.CreditorId, e.Summary!.Reference))
        .Select(g => g.MaxBy(e => e.Summary!.Sequence)!);

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}
