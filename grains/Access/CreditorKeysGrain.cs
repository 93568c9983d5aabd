using System.Security.Cryptography;

namespace Recouvrement.Access;

/// <summary>One key of a creditor as stored: the SHA-256 of the key, never the key.</summary>
[GenerateSerializer, Immutable, Alias("rc.StoredApiKey")]
public sealed record StoredApiKey(
    [property: Id(0)] string Id,
    [property: Id(1)] string Hash,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] DateTimeOffset? LastUsedAt = null,
    [property: Id(4)] DateTimeOffset? RevokedAt = null)
{
    public ApiKeyInfo Info => new(Id, CreatedAt, LastUsedAt, RevokedAt);
}

/// <summary>What a creditor's keys persist.</summary>
[GenerateSerializer, Alias("rc.CreditorKeysState")]
public sealed record CreditorKeysState
{
    [Id(0)] public ImmutableList<StoredApiKey> Keys { get; init; } = [];
}

/// <summary>
/// A creditor's keys. The record is written before the key is bound in the directory and revoked before it is
/// unbound, so a crash in between leaves a key that does not work yet (adding it again binds it) or one that is
/// listed as revoked while still bound (revoking it again unbinds it), never a live key the operator cannot see.
/// Times are wall-clock time, not the engine's clock: they record what people and programs did.
/// </summary>
public sealed class CreditorKeysGrain(
    [PersistentState("apikeys", StorageNames.Default)] IPersistentState<CreditorKeysState> state,
    TimeProvider time) : Grain, ICreditorKeysGrain
{
    private IApiKeyDirectoryGrain Directory => GrainFactory.Reference<IApiKeyDirectoryGrain>(IApiKeyDirectoryGrain.SingletonKey);

    private string CreditorId => this.GetPrimaryKeyString();

    public async Task<ApiKeyInfo?> Add(string keyHash)
    {
        if (state.State.Keys.Find(k => k.Hash == keyHash) is { } known)
        {
            return known.RevokedAt is not null || await Directory.Bind(keyHash, new ApiKeyBinding(CreditorId, known.Id)) ? known.Info : null;
        }

        var key = new StoredApiKey(NewId(), keyHash, time.GetUtcNow());
        state.State = state.State with { Keys = state.State.Keys.Add(key) };
        await state.WriteStateAsync();
        if (await Directory.Bind(keyHash, new ApiKeyBinding(CreditorId, key.Id)))
        {
            return key.Info;
        }

        state.State = state.State with { Keys = state.State.Keys.Remove(key) };
        await state.WriteStateAsync();
        return null;
    }

    public Task<IReadOnlyList<ApiKeyInfo>> List() =>
        Task.FromResult<IReadOnlyList<ApiKeyInfo>>([.. state.State.Keys.Select(k => k.Info)]);

    public async Task<bool> Revoke(string keyId)
    {
        if (state.State.Keys.Find(k => k.Id == keyId) is not { } key)
        {
            return false;
        }

        if (key.RevokedAt is null)
        {
            state.State = state.State with { Keys = state.State.Keys.Replace(key, key with { RevokedAt = time.GetUtcNow() }) };
            await state.WriteStateAsync();
        }

        await Directory.Unbind(key.Hash, new ApiKeyBinding(CreditorId, key.Id));
        return true;
    }

    public async Task RecordUse(IReadOnlyDictionary<string, DateTimeOffset> lastUses)
    {
        var keys = state.State.Keys;
        foreach (var key in state.State.Keys)
        {
            if (lastUses.TryGetValue(key.Id, out var used) && (key.LastUsedAt is null || used > key.LastUsedAt))
            {
                keys = keys.Replace(key, key with { LastUsedAt = used });
            }
        }

        if (keys != state.State.Keys)
        {
            state.State = state.State with { Keys = keys };
            await state.WriteStateAsync();
        }
    }

    private string NewId()
    {
        while (true)
        {
            var id = "key_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
            if (!state.State.Keys.Exists(k => k.Id == id))
            {
                return id;
            }
        }
    }
}
