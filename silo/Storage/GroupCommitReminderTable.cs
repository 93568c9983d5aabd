using Npgsql;

namespace Recouvrement.Silo.Storage;

/// <summary>
/// The reminder table on PostgreSQL with its writes group-committed: range reads go to the Orleans ADO.NET reminder
/// table, while registrations, removals and single-reminder reads waiting at the same moment share one transaction
/// (or one query), with the rows keyed, hashed and versioned exactly as that table writes them (<see cref="ReminderTableRows"/>).
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
    private readonly ReminderTableRows rows;
    private readonly BatchQueue<ReminderWrite, int?> queue;
    private readonly BatchQueue<(GrainId Grain, string Name), ReminderEntry?> reads;

    public GroupCommitReminderTable(IReminderTable inner, NpgsqlDataSource dataSource, string serviceId, StorageWriteOptions settings, ILogger<GroupCommitReminderTable> logger)
    {
        this.inner = inner;
        rows = new ReminderTableRows(serviceId);
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
        var version = await queue.EnqueueAsync(new ReminderWrite(entry.GrainId, entry.ReminderName, entry.StartAt, entry.Period, null));
        return version?.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        if (!int.TryParse(eTag, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var version))
        {
            return false;
        }

        return await queue.EnqueueAsync(new ReminderWrite(grainId, reminderName, default, TimeSpan.Zero, version)) is not null;
    }

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
        var keys = new HashSet<(GrainId, string)>();
        for (var i = 0; i <= batch.Count; i++)
        {
            var ends = i == batch.Count
                || (run.Count > 0 && (batch[i].IsRemoval != batch[run[0]].IsRemoval || keys.Contains((batch[i].GrainId, batch[i].Name))));
            if (ends && run.Count > 0)
            {
                await (batch[run[0]].IsRemoval ? RemoveAsync(connection, transaction, batch, run, results) : UpsertAsync(connection, transaction, batch, run, results));
                run.Clear();
                keys.Clear();
            }

            if (i < batch.Count)
            {
                run.Add(i);
                keys.Add((batch[i].GrainId, batch[i].Name));
            }
        }

        await transaction.CommitAsync();
        return results;
    }

    private async Task<ReminderEntry?[]> ReadBatchAsync(IReadOnlyList<(GrainId Grain, string Name)> keys)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await rows.ReadAsync(connection, keys, CancellationToken.None);
    }

    private async Task UpsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<ReminderWrite> batch, List<int> run, int?[] results)
    {
        var versions = await rows.UpsertAsync(connection, transaction, [.. run.Select(i => new ReminderRow(batch[i].GrainId, batch[i].Name, batch[i].StartAt, batch[i].Period))], CancellationToken.None);
        for (var n = 0; n < run.Count; n++)
        {
            results[run[n]] = versions[n];
        }
    }

    private async Task RemoveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<ReminderWrite> batch, List<int> run, int?[] results)
    {
        var removed = await rows.RemoveAsync(connection, transaction, [.. run.Select(i => (batch[i].GrainId, batch[i].Name, batch[i].ExpectedVersion!.Value))], CancellationToken.None);
        for (var n = 0; n < run.Count; n++)
        {
            results[run[n]] = removed[n] ? 1 : null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await queue.DisposeAsync();
        await reads.DisposeAsync();
    }

    /// <summary>An upsert (no expected version) or a removal of the row at that version.</summary>
    private sealed record ReminderWrite(GrainId GrainId, string Name, DateTime StartAt, TimeSpan Period, int? ExpectedVersion)
    {
        public bool IsRemoval => ExpectedVersion is not null;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A group commit of {Count} reminder writes failed; each caller gets the error")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "A grouped read of {Count} reminders failed; each caller gets the error")]
    private static partial void LogReadBatchFailed(ILogger logger, Exception exception, int count);
}
