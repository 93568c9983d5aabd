namespace Recouvrement.Events;

/// <summary>
/// The Orleans stream that carries the events from the log to their consumers (the read model's projection, the
/// webhooks): one stream per creditor and shard, a case always in the same shard, so that a case's events arrive in
/// order while a creditor's stream spreads over the silos' pulling agents.
/// </summary>
public static class EventStreams
{
    /// <summary>The stream provider's name (memory streams embedded, a persistent provider on PostgreSQL).</summary>
    public const string Provider = "recouvrement-events";

    public const string Namespace = "case-events";

    /// <summary>Streams per creditor: enough for many events in flight at once, few enough to stay cheap.</summary>
    public const int Shards = 64;

    /// <summary>The stream an event goes on: <c>{creditorId}/{shard}</c>, the shard a stable hash of its case (or its debtor).</summary>
    public static string Key(EngineEvent e) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{e.CreditorId}/{Shard(e.CaseReference ?? e.DebtorReference)}");

    /// <summary>The creditor a stream key names.</summary>
    public static string CreditorOf(string key) => key[..key.LastIndexOf('/')];

    /// <summary>FNV-1a over the UTF-16 code units: stable across processes and versions, unlike <see cref="string.GetHashCode()"/>.</summary>
    private static int Shard(string reference)
    {
        var hash = 2166136261u;
        foreach (var c in reference)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % Shards);
    }
}

/// <summary>The read model's projection: one per event stream, it keeps the cases' summaries (an implicit stream subscriber).</summary>
public interface ICaseProjectionGrain : IGrainWithStringKey;
