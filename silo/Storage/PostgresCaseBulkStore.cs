using Npgsql;
using Orleans.Configuration;
using Recouvrement.Cases;
using Recouvrement.Debtors;

namespace Recouvrement.Silo.Storage;

/// <summary>
/// Writes new cases, their new debtors and their first reminders into <c>orleans_grain_state</c> and
/// <c>orleans_reminder</c> with a few multi-row statements in one transaction, in exactly the form the Orleans
/// ADO.NET providers write and read them: the state serialized by the storage provider's own serializer, the
/// key hashes computed by its own hasher, the reminder keyed and hashed as the reminder table keys it.
/// </summary>
/// <remarks>
/// Whatever exists already is left to the grains. Rows are inserted only where none exists (the table's unique
/// key decides, so a grain writing at the same moment is safe either way); a debtor that existed, or any of whose
/// cases did, has the rows this transaction wrote for it taken back before commit, and its cases go through their
/// grains. No lookup runs before the insert: its own conflict check is indexed and free of races.
/// </remarks>
public sealed partial class PostgresCaseBulkStore : ICaseBulkStore
{
    private const string CaseStateName = "case";
    private const string DebtorStateName = "debtor";

    private readonly NpgsqlDataSource dataSource;
    private readonly IGrainFactory grains;
    private readonly GrainStateTable table;
    private readonly string serviceId;
    private readonly ILogger<PostgresCaseBulkStore> logger;

    public PostgresCaseBulkStore(
        BulkStoreTarget target,
        IGrainFactory grains,
        IOptionsMonitor<AdoNetGrainStorageOptions> storageOptions,
        IOptions<ClusterOptions> cluster,
        IOptions<Orleans.Hosting.ReminderOptions> reminders,
        Orleans.Serialization.Serializer serializer,
        ILogger<PostgresCaseBulkStore> logger)
    {
        dataSource = target.DataSource;
        this.grains = grains;
        serviceId = cluster.Value.ServiceId;
        table = new GrainStateTable(storageOptions.Get(target.ProviderName), serviceId, target.ProviderName, serializer);
        this.logger = logger;

        // The reminder service reads its slice of the table once per refresh period (on the engine's clock) and
        // keeps what fires within its loading window. A reminder this far ahead is seen by two reads before it is
        // due, so one late read does not make it miss its time (a missed first tick waits a whole period).
        ReminderLead = reminders.Value.RefreshReminderListPeriod + reminders.Value.ReminderLoadingWindow;
    }

    public bool Enabled => true;

    public TimeSpan ReminderLead { get; }

    public async Task<IReadOnlySet<int>> InsertNewAsync(IReadOnlyList<NewCaseRow> cases, IReadOnlyList<NewDebtorRow> debtors, CancellationToken cancellationToken = default)
    {
        var caseRows = cases.ToDictionary(c => c.Index, c => table.Row(CaseStateName, grains.Reference<ICaseGrain>(c.CaseKey).GetGrainId(), new GrainState<CaseState>(c.State)));
        var debtorRows = debtors.ToDictionary(d => d.DebtorKey, d => table.Row(DebtorStateName, grains.Reference<IDebtorGrain>(d.DebtorKey).GetGrainId(), new GrainState<DebtorState>(d.State)), StringComparer.Ordinal);

        var states = new List<GrainStateRow>(caseRows.Count + debtorRows.Count);
        states.AddRange(debtorRows.Values);
        states.AddRange(caseRows.Values);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Insert everything that is new; the table's unique key tells what already existed.
        var inserted = await table.InsertNewAsync(connection, transaction, states, cancellationToken);

        // A debtor goes here only with all of its cases and only if neither it nor any of them existed: the rows
        // this transaction just wrote for any other debtor are taken back, and its cases go to their grains.
        var withdrawn = debtors
            .Where(d => !inserted.Contains((DebtorStateName, d.DebtorKey))
                || d.CaseIndexes.Any(i => !inserted.Contains((CaseStateName, caseRows[i].Key))))
            .ToList();
        if (withdrawn.Count > 0)
        {
            var taken = withdrawn
                .SelectMany(d => d.CaseIndexes.Select(i => caseRows[i]).Prepend(debtorRows[d.DebtorKey]))
                .Where(r => inserted.Contains((r.StateName, r.Key)))
                .ToList();
            await DeleteStatesAsync(connection, transaction, taken, cancellationToken);
            LogWithdrawn(logger, withdrawn.Count);
        }

        var withdrawnCases = withdrawn.SelectMany(d => d.CaseIndexes).ToHashSet();
        var accepted = cases.Where(c => !withdrawnCases.Contains(c.Index)).ToList();
        if (accepted.Count == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return new HashSet<int>();
        }

        await InsertRemindersAsync(connection, transaction, [.. accepted.Select(c => (caseRows[c.Index].GrainId, c.FirstWake))], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return accepted.Select(c => c.Index).ToHashSet();
    }

    private async Task DeleteStatesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<GrainStateRow> rows, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            DELETE FROM orleans_grain_state AS s
            USING unnest(@types, @keys, @id_hashes, @type_hashes) AS u(grain_type, grain_key, id_hash, type_hash)
            WHERE {GrainStateTable.KeyMatch}
            """, connection, transaction);
        table.AddKeys(command, rows);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task InsertRemindersAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<(GrainId Id, DateTimeOffset At)> reminders, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO orleans_reminder AS r
                (service_id, grain_id, reminder_name, start_time, period, grain_hash, version)
            SELECT @service_id, u.grain_id, @name, u.start_time, @period, u.grain_hash, 1
            FROM unnest(@grain_ids, @start_times, @grain_hashes) AS u(grain_id, start_time, grain_hash)
            ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
            SET start_time = excluded.start_time,
                period = excluded.period,
                grain_hash = excluded.grain_hash,
                version = r.version + 1
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string>("service_id", serviceId));
        command.Parameters.Add(new NpgsqlParameter<string>("name", CaseGrain.NextStepReminder));
        command.Parameters.Add(new NpgsqlParameter<long>("period", (long)CaseGrain.RetryPeriod.TotalMilliseconds));
        command.Parameters.Add(new NpgsqlParameter<string[]>("grain_ids", [.. reminders.Select(r => GroupCommitReminderTable.Key(r.Id))]));
        command.Parameters.Add(new NpgsqlParameter<DateTime[]>("start_times", [.. reminders.Select(r => r.At.UtcDateTime)]));
        command.Parameters.Add(new NpgsqlParameter<int[]>("grain_hashes", [.. reminders.Select(r => GroupCommitReminderTable.Hash(r.Id))]));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bulk intake left {Count} debtors that already existed to their grains")]
    private static partial void LogWithdrawn(ILogger logger, int count);
}

/// <summary>Where the bulk intake writes: the database, and the name of the ADO.NET storage whose format it follows.</summary>
public sealed record BulkStoreTarget(NpgsqlDataSource DataSource, string ProviderName);
