using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;

namespace Recouvrement.Silo.Storage;

/// <summary>
/// The engine's grain storage on PostgreSQL: clears go to the Orleans ADO.NET provider, and writes are
/// group-committed into the same table — every write waiting at a given moment goes in one transaction, with
/// the provider's own serializer, key hashes and version (ETag) rules. Each grain still gets its answer only once
/// its write is durable, and a version conflict still throws <see cref="InconsistentStateException"/>. Reads are
/// grouped the same way (one query for all the reads waiting), unless <c>GroupReads</c> is off.
/// </summary>
/// <remarks>
/// One commit per write is what limits a burst of grains writing at once (each costs a round trip and a WAL
/// flush); shared, the cost is spread over the batch. Under light load a batch is one write and nothing waits.
/// Grains whose key is a GUID or an integer are left to the provider entirely.
/// </remarks>
public sealed partial class GroupCommitGrainStorage : IGrainStorage, IAsyncDisposable
{
    /// <summary>The name the ADO.NET provider is registered under, behind this one.</summary>
    public const string InnerName = "recouvrement-adonet";

    private readonly IGrainStorage inner;
    private readonly NpgsqlDataSource dataSource;
    private readonly GrainStateTable table;
    private readonly string serviceId;
    private readonly BatchQueue<PendingWrite, int?> queue;
    private readonly BatchQueue<GrainStateRow, (byte[]? Payload, int? Version)>? reads;

    public GroupCommitGrainStorage(IGrainStorage inner, NpgsqlDataSource dataSource, AdoNetGrainStorageOptions options, string serviceId,
        StorageWriteOptions settings, ILogger<GroupCommitGrainStorage> logger, Orleans.Serialization.Serializer? serializer = null)
    {
        this.inner = inner;
        table = new GrainStateTable(options, serviceId, InnerName, serializer);
        this.serviceId = serviceId;
        this.dataSource = dataSource;
        queue = new BatchQueue<PendingWrite, int?>(settings.MaxBatch, settings.Writers, CommitAsync, (e, count) => LogBatchFailed(logger, e, count), settings.MaxQueued);
        if (settings.GroupReads)
        {
            reads = new BatchQueue<GrainStateRow, (byte[]?, int?)>(settings.MaxBatch, settings.Writers, ReadBatchAsync, (e, count) => LogReadBatchFailed(logger, e, count), settings.MaxQueued);
        }
    }

    /// <summary>Transactions committed so far.</summary>
    internal long Commits => queue.Commits;

    /// <summary>
    /// Reads waiting at the same moment share one query: a burst of activations (every case of a backlog waking at
    /// once) costs a few queries instead of one pooled connection each, which would exhaust the pool.
    /// </summary>
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (reads is null || grainId.TryGetGuidKey(out _, out _) || grainId.TryGetIntegerKey(out _, out _))
        {
            await inner.ReadStateAsync(stateName, grainId, grainState);
            return;
        }

        var (payload, version) = await reads.EnqueueAsync(table.KeyOf(stateName, grainId, grainState));
        table.Apply(grainState, payload, version);
    }

    private async Task<(byte[]? Payload, int? Version)[]> ReadBatchAsync(IReadOnlyList<GrainStateRow> keys)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await table.ReadAsync(connection, keys, CancellationToken.None);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (grainId.TryGetGuidKey(out _, out _) || grainId.TryGetIntegerKey(out _, out _))
        {
            await inner.WriteStateAsync(stateName, grainId, grainState);
            return;
        }

        int? expected = string.IsNullOrWhiteSpace(grainState.ETag) ? null : int.Parse(grainState.ETag, System.Globalization.CultureInfo.InvariantCulture);
        var events = grainState.State is Recouvrement.Hosting.IEventSource source ? source.NewEvents : [];
        var write = new PendingWrite(table.Row(stateName, grainId, grainState), expected, events);
        var version = await queue.EnqueueAsync(write);
        if (version is null)
        {
            throw new InconsistentStateException(
                $"Version conflict (WriteState): ServiceId={serviceId} ProviderName={StorageNames.Default} GrainType={stateName} GrainId={write.Row.Key} ETag={grainState.ETag}.");
        }

        grainState.ETag = version.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    /// <summary>Writes a batch in one transaction; each write's new version, or null where its version did not match.</summary>
    private async Task<int?[]> CommitAsync(IReadOnlyList<PendingWrite> batch)
    {
        var versions = new int?[batch.Count];
        var updates = Enumerable.Range(0, batch.Count).Where(i => batch[i].Expected is not null).ToList();
        var inserts = Enumerable.Range(0, batch.Count).Where(i => batch[i].Expected is null).ToList();

        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (updates.Count > 0)
        {
            var updated = await table.UpdateAsync(connection, transaction, [.. updates.Select(i => (batch[i].Row, batch[i].Expected!.Value))], CancellationToken.None);
            for (var n = 0; n < updates.Count; n++)
            {
                versions[updates[n]] = updated[n];
            }
        }

        if (inserts.Count > 0)
        {
            var inserted = await table.InsertNewAsync(connection, transaction, [.. inserts.Select(i => batch[i].Row)], CancellationToken.None);

            // Two first writes of one grain in a batch: the first one listed gets the row, the other a conflict.
            foreach (var slot in inserts.GroupBy(i => (batch[i].Row.StateName, batch[i].Row.Key)).Select(g => g.First()))
            {
                if (inserted.Contains((batch[slot].Row.StateName, batch[slot].Row.Key)))
                {
                    versions[slot] = 1;
                }
            }
        }

        // The events of the writes that succeeded, in the same transaction: a change and its events are stored together or not at all.
        var events = Enumerable.Range(0, batch.Count).Where(i => versions[i] is not null).SelectMany(i => batch[i].Events).ToList();
        await EventRows.InsertAsync(connection, transaction, serviceId, events);
        await transaction.CommitAsync();
        return versions;
    }

    public async ValueTask DisposeAsync()
    {
        await queue.DisposeAsync();
        if (reads is not null)
        {
            await reads.DisposeAsync();
        }
    }

    /// <summary>A state to write, at the version it was read, and the events of its change (stored in the same transaction).</summary>
    private sealed record PendingWrite(GrainStateRow Row, int? Expected, IReadOnlyList<Recouvrement.Events.EngineEvent> Events);

    [LoggerMessage(Level = LogLevel.Error, Message = "A group commit of {Count} grain state writes failed; each grain gets the error")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "A grouped read of {Count} grain states failed; each grain gets the error")]
    private static partial void LogReadBatchFailed(ILogger logger, Exception exception, int count);
}
