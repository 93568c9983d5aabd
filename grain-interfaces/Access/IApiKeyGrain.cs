namespace Recouvrement.Access;

/// <summary>
/// A key as keys were stored before creditors had several (<see cref="ICreditorKeysGrain"/>): keyed by the SHA-256
/// of the key, it tells which creditor the key opens. Nothing binds keys here any more; the silo reads the ones
/// left in storage at start-up and adds them to their creditor's keys, so that those keys keep working.
/// </summary>
public interface IApiKeyGrain : IGrainWithStringKey
{
    /// <summary>Binds the key to a creditor; false when it already opens another one. Kept for stored data and tests only.</summary>
    Task<bool> Bind(string creditorId);

    [ReadOnly]
    Task<string?> Resolve();
}
