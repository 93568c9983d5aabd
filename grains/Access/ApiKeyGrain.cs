namespace Recouvrement.Access;

/// <summary>What an API key persists: only the creditor it opens (the grain key is the key's hash).</summary>
[GenerateSerializer, Alias("rc.ApiKeyState")]
public sealed record ApiKeyState
{
    [Id(0)] public string? CreditorId { get; init; }
}

/// <summary>Resolves a hashed API key to its creditor.</summary>
public sealed class ApiKeyGrain(
    [PersistentState("apikey", StorageNames.Default)] IPersistentState<ApiKeyState> state) : Grain, IApiKeyGrain
{
    public async Task<bool> Bind(string creditorId)
    {
        if (state.State.CreditorId is { } bound)
        {
            return bound == creditorId;
        }

        state.State = new ApiKeyState { CreditorId = creditorId };
        await state.WriteStateAsync();
        return true;
    }

    public Task<string?> Resolve() => Task.FromResult(state.State.CreditorId);
}
