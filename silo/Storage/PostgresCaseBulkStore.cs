using Npgsql;
using Orleans.Configuration;
using Recouvrement.Cases;
using Recouvrement.Debtors;

namespace Recouvrement.Silo.Storage;

/// <summary>
/// Writes new cases, their new debtors and their first reminders into <c>orleans_grain_state</c> and
/// <c>orleans_reminder</c> with a few multi-row statements in one transaction, in exactly the form the Orleans
/// ADO.NET providers write and read them (<see cref="GrainStateTable"/>, <see cref="ReminderTableRows"/>, checked
/// against the providers by <c>OrleansRowFormatContractTests</c>).
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
    private readonly ReminderTableRows reminders;
    private readonly ILogger<PostgresCaseBulkStore> logger;
    private readonly string serviceId;

    public PostgresCaseBulkStore(
        BulkStoreTarget target,
        IGrainFactory grains,
        IOptionsMonitor<AdoNetGrainStorageOptions> storageOptions,
        IOptions<ClusterOptions> cluster,
        IOptions<Orleans.Hosting.ReminderOptions> reminderOptions,
        Orleans.Serialization.Serializer serializer,
        ILogger<PostgresCaseBulkStore> logger)
    {
        dataSource = target.DataSource;
        this.grains = grains;
        serviceId = cluster.Value.ServiceId;
        table = new GrainStateTable(storageOptions.Get(target.ProviderName), serviceId, target.ProviderName, serializer);
        reminders = new ReminderTableRows(serviceId);
        this.logger = logger;

        // The reminder service reads its slice of the table once per refresh period (on the engine's clock) and
        // keeps what fires within its loading window. A reminder this far ahead is seen by two reads before it is
        // due, so one late read does not make it miss its time (a missed first tick waits a whole period).
        ReminderLead = reminderOptions.Value.RefreshReminderListPeriod + reminderOptions.Value.ReminderLoadingWindow;
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
            await table.DeleteAsync(connection, transaction, taken, cancellationToken);
            LogWithdrawn(logger, withdrawn.Count);
        }

        var withdrawnCases = withdrawn.SelectMany(d => d.CaseIndexes).ToHashSet();
        var accepted = cases.Where(c => !withdrawnCases.Contains(c.Index)).ToList();
        if (accepted.Count == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return new HashSet<int>();
        }

        await reminders.UpsertAsync(connection, transaction,
            [.. accepted.Select(c => new ReminderRow(caseRows[c.Index].GrainId, CaseGrain.NextStepReminder, c.FirstWake.UtcDateTime, CaseGrain.RetryPeriod))], cancellationToken);

        // The creations' events (and read-model rows) in the same transaction, as a grain's own write stores them.
        await EventRows.InsertAsync(connection, transaction, serviceId, [.. accepted.SelectMany(c => c.State.NewEvents)], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return accepted.Select(c => c.Index).ToHashSet();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bulk intake left {Count} debtors that already existed to their grains")]
    private static partial void LogWithdrawn(ILogger logger, int count);
}

/// <summary>Where the bulk intake writes: the database, and the name of the ADO.NET storage whose format it follows.</summary>
public sealed record BulkStoreTarget(NpgsqlDataSource DataSource, string ProviderName);
