using System.Collections.Immutable;

namespace Recouvrement.Access;

/// <summary>What a live key opens: its creditor, and which of the creditor's keys it is.</summary>
[GenerateSerializer, Immutable, Alias("rc.ApiKeyBinding")]
public sealed record ApiKeyBinding(
    [property: Id(0)] string CreditorId,
    [property: Id(1)] string KeyId);

/// <summary>Every live key of the cluster, by the SHA-256 of the key, at one version of the directory.</summary>
[GenerateSerializer, Immutable, Alias("rc.ApiKeySnapshot")]
public sealed record ApiKeySnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] ImmutableDictionary<string, ApiKeyBinding> Bindings);

/// <summary>
/// The one directory of live API keys (hash to creditor and key id). API processes keep a copy in memory and ask it
/// for changes every few seconds, so that authenticating a request, or refusing an unknown token, calls no grain.
/// </summary>
public interface IApiKeyDirectoryGrain : IGrainWithStringKey
{
    /// <summary>The key of the only directory grain.</summary>
    const string SingletonKey = "all";

    /// <summary>Binds a key; true when it is bound to exactly this, false when the hash opens another creditor or key.</summary>
    Task<bool> Bind(string keyHash, ApiKeyBinding binding);

    /// <summary>Removes the binding of a revoked key (only when the hash is still bound to it).</summary>
    Task Unbind(string keyHash, ApiKeyBinding binding);

    /// <summary>The whole directory when its version is not <paramref name="knownVersion"/>, else null.</summary>
    [ReadOnly]
    Task<ApiKeySnapshot?> Changes(long knownVersion);
}
