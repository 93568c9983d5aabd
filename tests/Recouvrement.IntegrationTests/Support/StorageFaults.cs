using Orleans.Storage;

namespace Recouvrement.Tests.Support;

/// <summary>
/// The cluster's grain storage (Orleans' memory storage) with writes that a test can make fail: the next write whose
/// state matches fails as a database would, and nothing of it is stored.
/// </summary>
public sealed class StorageFaults
{
    private readonly Lock _lock = new();
    private Func<object?, bool>? _failNext;

    public int Failed { get; private set; }

    /// <summary>The next write of a state for which <paramref name="when"/> holds fails; later ones succeed.</summary>
    public void FailNextWrite(Func<object?, bool> when)
    {
        lock (_lock)
        {
            _failNext = when;
        }
    }

    internal IGrainStorage Over(IGrainStorage inner) => new Storage(inner, this);

    private bool ShouldFail(object? state)
    {
        lock (_lock)
        {
            if (_failNext is { } when && when(state))
            {
                _failNext = null;
                Failed++;
                return true;
            }

            return false;
        }
    }

    private sealed class Storage(IGrainStorage inner, StorageFaults faults) : IGrainStorage
    {
        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
            faults.ShouldFail(grainState.State)
                ? Task.FromException(new TimeoutException("simulated storage failure: the write did not reach the database"))
                : inner.WriteStateAsync(stateName, grainId, grainState);

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);
    }
}
