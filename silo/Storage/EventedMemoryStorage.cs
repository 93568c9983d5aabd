using Orleans.Storage;
using Recouvrement.Api.ReadSide;
using Recouvrement.Hosting;

namespace Recouvrement.Silo.Storage;

/// <summary>
/// The embedded default's grain storage: Orleans' memory storage, with the events each write carries
/// (<see cref="IEventSource"/>) appended to the in-memory event log once the write is done. Nothing is durable in that
/// mode, so the write and its events need no transaction to share.
/// </summary>
public sealed class EventedMemoryStorage(IGrainStorage inner, MemoryEventLog log, MemoryCaseSummaries summaries) : IGrainStorage
{
    /// <summary>The name Orleans' memory storage is registered under, behind this one.</summary>
    public const string InnerName = "recouvrement-memory";

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await inner.WriteStateAsync(stateName, grainId, grainState);
        if (grainState.State is IEventSource { NewEvents.IsEmpty: false } source)
        {
            log.Append(source.NewEvents);
            foreach (var created in source.NewEvents.Where(e => e is { Summary: not null, Parties: not null }))
            {
                summaries.Create(created.CreditorId, created.Summary!, created.Parties!);
            }
        }
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);
}
