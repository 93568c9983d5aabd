namespace Recouvrement.Access;

/// <summary>One API key of a creditor as the operator sees it: never the key, never its hash.</summary>
[GenerateSerializer, Immutable, Alias("rc.ApiKeyInfo")]
public sealed record ApiKeyInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] DateTimeOffset CreatedAt,
    [property: Id(2)] DateTimeOffset? LastUsedAt,
    [property: Id(3)] DateTimeOffset? RevokedAt);

/// <summary>
/// The API keys of one creditor, keyed by the creditor's id. Several keys are live at once while a creditor rotates
/// them; a revoked key stays listed (with its date) and never opens anything again.
/// </summary>
public interface ICreditorKeysGrain : IGrainWithStringKey
{
    /// <summary>
    /// Adds the key of this SHA-256 and binds it in the <see cref="IApiKeyDirectoryGrain"/>. The same hash again is the
    /// same key: its record comes back as it is, revoked or not. Null when the hash already opens another creditor.
    /// </summary>
    Task<ApiKeyInfo?> Add(string keyHash);

    /// <summary>Every key, live and revoked, oldest first.</summary>
    [ReadOnly]
    Task<IReadOnlyList<ApiKeyInfo>> List();

    /// <summary>Revokes the key: it leaves the directory at once. False when the creditor has no key of this id; revoking twice is harmless.</summary>
    Task<bool> Revoke(string keyId);

    /// <summary>The latest use of each key (by key id) an API process saw since its last report.</summary>
    Task RecordUse(IReadOnlyDictionary<string, DateTimeOffset> lastUses);
}
