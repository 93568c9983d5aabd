namespace Recouvrement.Access;

/// <summary>What the directory persists: every live key's binding, and a version that changes with each of them.</summary>
[GenerateSerializer, Alias("rc.ApiKeyDirectoryState")]
public sealed record ApiKeyDirectoryState
{
    [Id(0)] public ImmutableDictionary<string, ApiKeyBinding> Bindings { get; init; } = ImmutableDictionary<string, ApiKeyBinding>.Empty;

    [Id(1)] public long Version { get; init; }
}

/// <summary>
/// The directory of live keys. It is written only when a key is added or revoked, and read by every API process
/// every few seconds: an unchanged directory answers null, so that a poll costs no copy.
/// </summary>
public sealed class ApiKeyDirectoryGrain(
    [PersistentState("apikeydirectory", StorageNames.Default)] IPersistentState<ApiKeyDirectoryState> state) : Grain, IApiKeyDirectoryGrain
{
    public async Task<bool> Bind(string keyHash, ApiKeyBinding binding)
    {
        if (state.State.Bindings.TryGetValue(keyHash, out var bound))
        {
            return bound == binding;
        }

        state.State = new ApiKeyDirectoryState { Bindings = state.State.Bindings.Add(keyHash, binding), Version = state.State.Version + 1 };
        await state.WriteStateAsync();
        return true;
    }

    public async Task Unbind(string keyHash, ApiKeyBinding binding)
    {
        if (!state.State.Bindings.TryGetValue(keyHash, out var bound) || bound != binding)
        {
            return;
        }

        state.State = new ApiKeyDirectoryState { Bindings = state.State.Bindings.Remove(keyHash), Version = state.State.Version + 1 };
        await state.WriteStateAsync();
    }

    public Task<ApiKeySnapshot?> Changes(long knownVersion) =>
        Task.FromResult(knownVersion == state.State.Version ? null : new ApiKeySnapshot(state.State.Version, state.State.Bindings));
}
