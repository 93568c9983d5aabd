using Npgsql;

namespace Recouvrement.Silo.Storage;

/// <summary>
/// The reminder table on PostgreSQL with its writes group-committed: range reads go to the Orleans ADO.NET reminder
/// table, while registrations, removals and single-reminder reads waiting at the same moment share one transaction
/// (or one query), with the rows keyed,
/// hashed and versioned exactly as that table writes them (<c>UpsertReminderRowKey</c>,
/// <c>DeleteReminderRowKey</c> of the schema).
/// </summary>
/// <remarks>
/// A burst of cases stepping at once registers a reminder for each case and each debtor, and every debtor that
/// has sent removes or moves its own: one commit each was what bounded such a burst. The writes of a batch are
/// applied in the order they were asked, so a registration followed by a removal of the same reminder ends as
/// it would one by one; a removal whose version no longer matches removes nothing and answers false.
/// </remarks>
public sealed partial class GroupCommitReminderTable : IReminderTable, IAsyncDisposable
{
    private readonly IReminderTable inner;
    private readonly NpgsqlDataSource dataSource;
    private readonly string serviceId;
    private readonly BatchQueue<ReminderWrite, int?> queue;
    private readonly BatchQueue<(GrainId Grain, string Name), ReminderEntry?> reads;

    public GroupCommitReminderTable(IReminderTable inner, NpgsqlDataSource dataSource, string serviceId, StorageWriteOptions settings, ILogger<GroupCommitReminderTable> logger)
    {
        this.inner = inner;
        this.serviceId = serviceId;
        this.dataSource = dataSource;
        queue = new BatchQueue<ReminderWrite, int?>(settings.MaxBatch, settings.Writers, CommitAsync, (e, count) => LogBatchFailed(logger, e, count), settings.MaxQueued);
        reads = new BatchQueue<(GrainId, string), ReminderEntry?>(settings.MaxBatch, settings.Writers, ReadBatchAsync, (e, count) => LogReadBatchFailed(logger, e, count), settings.MaxQueued);
    }

    /// <summary>Transactions committed so far.</summary>
    internal long Commits => queue.Commits;

    public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => inner.StopAsync(cancellationToken);

    public Task<ReminderTableData> ReadRows(GrainId grainId) => inner.ReadRows(grainId);

    public Task<ReminderTableData> ReadRows(uint begin, uint end) => inner.ReadRows(begin, end);

    /// <summary>One reminder; the ones asked at the same moment (every debtor of a burst looking up its own) share one query.</summary>
    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) => reads.EnqueueAsync((grainId, reminderName));

    public Task TestOnlyClearTable() => inner.TestOnlyClearTable();

    public async Task<string?> UpsertRow(ReminderEntry entry)
    {
        var start = entry.StartAt.Kind == DateTimeKind.Utc ? entry.StartAt : DateTime.SpecifyKind(entry.StartAt, DateTimeKind.Utc);
        var version = await queue.EnqueueAsync(new ReminderWrite(Key(entry.GrainId), entry.ReminderName, Hash(entry.GrainId), start, (long)entry.Period.TotalMilliseconds, null));
        return version?.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        if (!int.TryParse(eTag, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var version))
        {
            return false;
        }

        return await queue.EnqueueAsync(new ReminderWrite(Key(grainId), reminderName, Hash(grainId), default, 0, version)) is not null;
    }

    /// <summary>The row key and hash the ADO.NET reminder table uses for a grain (its id as text, its uniform hash as int4).</summary>
    public static string Key(GrainId grainId) => grainId.ToString();

    public static int Hash(GrainId grainId) => unchecked((int)grainId.GetUniformHashCode());

    /// <summary>
    /// Commits a batch in one transaction, as consecutive runs of upserts or removals each in one statement; a run
    /// ends where the kind changes or a reminder comes back, so every write sees the ones asked before it.
    /// </summary>
    private async Task<int?[]> CommitAsync(IReadOnlyList<ReminderWrite> batch)
    {
        var results = new int?[batch.Count];
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var run = new List<int>();
        var keys = new HashSet<(string, string)>();
        for (var i = 0; i <= batch.Count; i++)
        {
            var ends = i == batch.Count
                || (run.Count > 0 && (batch[i].IsRemoval != batch[run[0]].IsRemoval || keys.Contains((batch[i].GrainKey, batch[i].Name))));
            if (ends && run.Count > 0)
            {
                await (batch[run[0]].IsRemoval ? RemoveAsync(connection, transaction, batch, run, results) : UpsertAsync(connection, transaction, batch, run, results));
                run.Clear();
                keys.Clear();
            }

            if (i < batch.Count)
            {
                run.Add(i);
                keys.Add((batch[i].GrainKey, batch[i].Name));
            }
        }

        await transaction.CommitAsync();
        return results;
    }

    private async Task<ReminderEntry?[]> ReadBatchAsync(IReadOnlyList<(GrainId Grain, string Name)> keys)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("""
            SELECT u.slot, r.start_time, r.period, r.version
            FROM unnest(@grain_ids, @names, @slots) AS u(grain_id, reminder_name, slot)
            CROSS JOIN LATERAL (
                SELECT r.start_time, r.period, r.version FROM orleans_reminder AS r
                WHERE r.service_id = @service_id AND r.grain_id = u.grain_id AND r.reminder_name = u.reminder_name
            ) AS r
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string>("service_id", serviceId));
        command.Parameters.Add(new NpgsqlParameter<string[]>("grain_ids", [.. keys.Select(k => Key(k.Grain))]));
        command.Parameters.Add(new NpgsqlParameter<string[]>("names", [.. keys.Select(k => k.Name)]));
        command.Parameters.Add(new NpgsqlParameter<int[]>("slots", [.. Enumerable.Range(0, keys.Count)]));
        var entries = new ReminderEntry?[keys.Count];
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var slot = reader.GetInt32(0);
            entries[slot] = new ReminderEntry
            {
                GrainId = keys[slot].Grain,
                ReminderName = keys[slot].Name,
                StartAt = DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc),
                Period = TimeSpan.FromMilliseconds(reader.GetInt64(2)),
                ETag = reader.GetInt32(3).ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
        }

        return entries;
    }

    private async Task UpsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<ReminderWrite> batch, List<int> run, int?[] results)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO orleans_reminder AS r
                (service_id, grain_id, reminder_name, start_time, period, grain_hash, version)
            SELECT @service_id, u.grain_id, u.reminder_name, u.start_time, u.period, u.grain_hash, 1
            FROM unnest(@grain_ids, @names, @start_times, @periods, @grain_hashes) AS u(grain_id, reminder_name, start_time, period, grain_hash)
            ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
            SET start_time = excluded.start_time,
                period = excluded.period,
                grain_hash = excluded.grain_hash,
                version = r.version + 1
            RETURNING r.grain_id, r.reminder_name, r.version
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string>("service_id", serviceId));
        command.Parameters.Add(new NpgsqlParameter<string[]>("grain_ids", [.. run.Select(i => batch[i].GrainKey)]));
        command.Parameters.Add(new NpgsqlParameter<string[]>("names", [.. run.Select(i => batch[i].Name)]));
        command.Parameters.Add(new NpgsqlParameter<DateTime[]>("start_times", [.. run.Select(i => batch[i].StartAt)]));
        command.Parameters.Add(new NpgsqlParameter<long[]>("periods", [.. run.Select(i => batch[i].PeriodMs)]));
        command.Parameters.Add(new NpgsqlParameter<int[]>("grain_hashes", [.. run.Select(i => batch[i].GrainHash)]));
        var slots = run.ToDictionary(i => (batch[i].GrainKey, batch[i].Name));
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            results[slots[(reader.GetString(0), reader.GetString(1))]] = reader.GetInt32(2);
        }
    }

    private async Task RemoveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<ReminderWrite> batch, List<int> run, int?[] results)
    {
        await using var command = new NpgsqlCommand("""
            DELETE FROM orleans_reminder AS r
            USING unnest(@grain_ids, @names, @versions, @slots) AS u(grain_id, reminder_name, version, slot)
            WHERE r.service_id = @service_id
              AND r.grain_id = u.grain_id
              AND r.reminder_name = u.reminder_name
              AND r.version = u.version
            RETURNING u.slot
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string>("service_id", serviceId));
        command.Parameters.Add(new NpgsqlParameter<string[]>("grain_ids", [.. run.Select(i => batch[i].GrainKey)]));
        command.Parameters.Add(new NpgsqlParameter<string[]>("names", [.. run.Select(i => batch[i].Name)]));
        command.Parameters.Add(new NpgsqlParameter<int[]>("versions", [.. run.Select(i => batch[i].ExpectedVersion!.Value)]));
        command.Parameters.Add(new NpgsqlParameter<int[]>("slots", [.. run]));
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            results[reader.GetInt32(0)] = 1;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await queue.DisposeAsync();
        await reads.DisposeAsync();
    }

    /// <summary>An upsert (no expected version) or a removal of the row at that version.</summary>
    private sealed record ReminderWrite(string GrainKey, string Name, int GrainHash, DateTime StartAt, long PeriodMs, int? ExpectedVersion)
    {
        public bool IsRemoval => ExpectedVersion is not null;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A group commit of {Count} reminder writes failed; each caller gets the error")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "A grouped read of {Count} reminders failed; each caller gets the error")]
    private static partial void LogReadBatchFailed(ILogger logger, Exception exception, int count);
}
