using System.Text;
using System.Threading.Channels;
using Npgsql;
using NpgsqlTypes;
using Orleans.Configuration;
using Orleans.Storage;

namespace Recouvrement.Silo.Storage;

/// <summary>
/// The engine's grain storage on PostgreSQL: reads and clears go to the Orleans ADO.NET provider, and writes are
/// group-committed into the same table — every write waiting at a given moment goes in one transaction, with
/// the provider's own serializer, key hashes and version (ETag) rules. Each grain still gets its answer only once
/// its write is durable, and a version conflict still throws <see cref="InconsistentStateException"/>.
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
    private readonly AdoNetGrainStorageOptions options;
    private readonly string serviceId;
    private readonly int maxBatch;
    private readonly Channel<PendingWrite> queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Task[] writers;
    private readonly ILogger<GroupCommitGrainStorage> logger;

    public GroupCommitGrainStorage(IGrainStorage inner, string connectionString, AdoNetGrainStorageOptions options, string serviceId,
        StorageWriteOptions settings, ILogger<GroupCommitGrainStorage> logger)
    {
        this.inner = inner;
        this.options = options;
        this.serviceId = serviceId;
        this.logger = logger;
        maxBatch = Math.Max(1, settings.MaxBatch);
        dataSource = NpgsqlDataSource.Create(connectionString);
        writers = [.. Enumerable.Range(0, Math.Max(1, settings.Writers)).Select(_ => Task.Run(WriteLoopAsync))];
    }

    private long commits;

    /// <summary>Transactions committed so far.</summary>
    internal long Commits => Interlocked.Read(ref commits);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (grainId.TryGetGuidKey(out _, out _) || grainId.TryGetIntegerKey(out _, out _))
        {
            await inner.WriteStateAsync(stateName, grainId, grainState);
            return;
        }

        var key = grainId.Key.ToString()!;
        var hasher = (options.HashPicker ?? new StorageHasherPicker([new OrleansDefaultHasher()]))
            .PickHasher(serviceId, InnerName, stateName, grainId, grainState)
            ?? throw new InvalidOperationException("the grain storage has no hasher for this state");
        int? expected = string.IsNullOrWhiteSpace(grainState.ETag) ? null : int.Parse(grainState.ETag, System.Globalization.CultureInfo.InvariantCulture);
        var write = new PendingWrite(
            stateName, key,
            hasher.Hash(PostgresCaseBulkStore.KeyHashBytes(key)),
            hasher.Hash(Encoding.UTF8.GetBytes(stateName)),
            expected,
            options.GrainStorageSerializer.Serialize(grainState.State).ToArray());
        if (!queue.Writer.TryWrite(write))
        {
            throw new InvalidOperationException("the grain storage is shutting down");
        }

        var version = await write.Done.Task;
        if (version is null)
        {
            throw new InconsistentStateException(
                $"Version conflict (WriteState): ServiceId={serviceId} ProviderName={StorageNames.Default} GrainType={stateName} GrainId={key} ETag={grainState.ETag}.");
        }

        grainState.ETag = version.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingWrite>(maxBatch);
        while (await queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < maxBatch && queue.Reader.TryRead(out var write))
            {
                batch.Add(write);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                var versions = await CommitAsync(batch);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(versions[i]);
                }
            }
            catch (Exception exception)
            {
                LogBatchFailed(logger, exception, batch.Count);
                foreach (var write in batch)
                {
                    write.Done.TrySetException(exception);
                }
            }
        }
    }

    /// <summary>Writes a batch in one transaction; each write's new version, or null where its version did not match.</summary>
    private async Task<int?[]> CommitAsync(List<PendingWrite> batch)
    {
        var versions = new int?[batch.Count];
        var updates = Enumerable.Range(0, batch.Count).Where(i => batch[i].Expected is not null).ToList();
        var inserts = Enumerable.Range(0, batch.Count).Where(i => batch[i].Expected is null).ToList();

        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (updates.Count > 0)
        {
            await using var update = new NpgsqlCommand("""
                UPDATE orleans_grain_state AS s
                SET payload = u.payload, version = s.version + 1, modified_on = now()
                FROM unnest(@slots, @types, @keys, @id_hashes, @type_hashes, @versions, @payloads)
                     AS u(slot, grain_type, grain_key, id_hash, type_hash, expected, payload)
                WHERE s.grain_id_hash = u.id_hash
                  AND s.grain_type_hash = u.type_hash
                  AND s.grain_id_n0 = 0
                  AND s.grain_id_n1 = 0
                  AND s.service_id = @service_id
                  AND s.grain_type = u.grain_type
                  AND s.grain_id_extension = u.grain_key
                  AND s.version = u.expected
                RETURNING u.slot, s.version
                """, connection, transaction);
            AddRows(update, batch, updates);
            update.Parameters.Add(new NpgsqlParameter<int[]>("versions", [.. updates.Select(i => batch[i].Expected!.Value)]));
            await using var reader = await update.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                versions[reader.GetInt32(0)] = reader.GetInt32(1);
            }
        }

        if (inserts.Count > 0)
        {
            await using var insert = new NpgsqlCommand("""
                INSERT INTO orleans_grain_state
                    (service_id, grain_type_hash, grain_id_hash, grain_id_n0, grain_id_n1,
                     grain_type, grain_id_extension, payload, version)
                SELECT @service_id, u.type_hash, u.id_hash, 0, 0, u.grain_type, u.grain_key, u.payload, 1
                FROM unnest(@slots, @types, @keys, @id_hashes, @type_hashes, @payloads)
                     AS u(slot, grain_type, grain_key, id_hash, type_hash, payload)
                ON CONFLICT DO NOTHING
                RETURNING grain_type, grain_id_extension
                """, connection, transaction);
            AddRows(insert, batch, inserts);
            var slots = inserts.GroupBy(i => (batch[i].StateName, batch[i].Key)).ToDictionary(g => g.Key, g => g.First());
            await using var reader = await insert.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                if (slots.TryGetValue((reader.GetString(0), reader.GetString(1)), out var slot))
                {
                    versions[slot] = 1;
                }
            }
        }

        await transaction.CommitAsync();
        Interlocked.Increment(ref commits);
        return versions;
    }

    private void AddRows(NpgsqlCommand command, List<PendingWrite> batch, List<int> slots)
    {
        command.Parameters.Add(new NpgsqlParameter<string>("service_id", serviceId));
        command.Parameters.Add(new NpgsqlParameter<int[]>("slots", [.. slots]));
        command.Parameters.Add(new NpgsqlParameter<string[]>("types", [.. slots.Select(i => batch[i].StateName)]));
        command.Parameters.Add(new NpgsqlParameter<string[]>("keys", [.. slots.Select(i => batch[i].Key)]));
        command.Parameters.Add(new NpgsqlParameter<int[]>("id_hashes", [.. slots.Select(i => batch[i].IdHash)]));
        command.Parameters.Add(new NpgsqlParameter<int[]>("type_hashes", [.. slots.Select(i => batch[i].TypeHash)]));
        command.Parameters.Add(new NpgsqlParameter<byte[][]>("payloads", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { TypedValue = [.. slots.Select(i => batch[i].Payload)] });
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await Task.WhenAll(writers);
        await dataSource.DisposeAsync();
    }

    private sealed record PendingWrite(string StateName, string Key, int IdHash, int TypeHash, int? Expected, byte[] Payload)
    {
        public TaskCompletionSource<int?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A group commit of {Count} grain state writes failed; each grain gets the error")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);
}

/// <summary><c>Recouvrement:Storage</c>: how grain state writes are grouped.</summary>
public sealed class StorageWriteOptions
{
    /// <summary>At most this many writes per transaction.</summary>
    public int MaxBatch { get; set; } = 500;

    /// <summary>Transactions in flight at once.</summary>
    public int Writers { get; set; } = 2;

    /// <summary>False: every write is its own transaction through the ADO.NET provider.</summary>
    public bool GroupCommit { get; set; } = true;
}
