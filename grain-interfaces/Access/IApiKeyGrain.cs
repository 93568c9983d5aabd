namespace Recouvrement.Access;

/// <summary>
/// One API key, keyed by the SHA-256 of the key (the key itself is never stored): tells which creditor it opens.
/// </summary>
public interface IApiKeyGrain : IGrainWithStringKey
{
    /// <summary>Binds the key to a creditor; false when it already opens another one.</summary>
    Task<bool> Bind(string creditorId);

    [ReadOnly]
    Task<string?> Resolve();
}
