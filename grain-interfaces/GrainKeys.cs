namespace Recouvrement;

/// <summary>Case and debtor grains are keyed <c>{creditorId}/{reference}</c>: one creditor never reaches another's.</summary>
public static class GrainKeys
{
    public static string Compose(string creditorId, string reference) => $"{creditorId}/{reference}";

    public static (string CreditorId, string Reference) Split(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == key.Length - 1)
        {
            throw new ArgumentException($"'{key}' is not a creditor-scoped key", nameof(key));
        }

        return (key[..slash], key[(slash + 1)..]);
    }
}
