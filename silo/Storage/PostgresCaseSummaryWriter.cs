using Npgsql;
using Recouvrement.Api.Reports;
using Recouvrement.Events;

namespace Recouvrement.Silo.Storage;

/// <summary>
/// Keeps the read model's cases in <c>recouvrement_case_summary</c> and the report counters in
/// <c>recouvrement_report_counters</c>: the cases waiting at the same moment are written in one transaction (a group
/// commit). Each summary goes only over an older one (by the case's event sequence), so a replayed or late event never
/// turns a case back; each case's events after its tally's sequence are counted (<see cref="ReportFold"/>) and the
/// tally moved in the same transaction, so a replayed event never counts twice.
/// </summary>
public sealed partial class PostgresCaseSummaryWriter : ICaseSummaryWriter, IAsyncDisposable
{
    private readonly NpgsqlDataSource database;
    private readonly string serviceId;
    private readonly BatchQueue<(string CreditorId, IReadOnlyList<EngineEvent> Events), bool> queue;

    public PostgresCaseSummaryWriter(NpgsqlDataSource database, string serviceId, StorageWriteOptions settings, ILogger<PostgresCaseSummaryWriter> logger)
    {
        this.database = database;
        this.serviceId = serviceId;
        queue = new BatchQueue<(string, IReadOnlyList<EngineEvent>), bool>(settings.MaxBatch, settings.Writers, WriteAsync, (e, count) => LogFailed(logger, e, count), settings.MaxQueued);
    }

    public Task ApplyAsync(string creditorId, IReadOnlyList<EngineEvent> caseEvents) =>
        caseEvents.Any(e => e.Summary is not null) ? queue.EnqueueAsync((creditorId, caseEvents)) : Task.CompletedTask;

    public Task EraseDebtorAsync(string creditorId, string debtorReference) => CaseSummaryRows.EraseDebtorAsync(database, serviceId, creditorId, debtorReference);

    private async Task<bool[]> WriteAsync(IReadOnlyList<(string CreditorId, IReadOnlyList<EngineEvent> Events)> batch)
    {
        // A case twice in one batch (a redelivery beside its first delivery) is one case with all its events.
        var cases = batch
            .SelectMany(item => item.Events.Where(e => e.Summary is not null).Select(e => (item.CreditorId, Event: e)))
            .GroupBy(x => (x.CreditorId, x.Event.Summary!.Reference))
            .Select(g => (g.Key.CreditorId, g.Key.Reference, Events: g.Select(x => x.Event).OrderBy(e => e.Sequence).ToList()))
            .OrderBy(c => c.CreditorId, StringComparer.Ordinal).ThenBy(c => c.Reference, StringComparer.Ordinal)
            .ToList();

        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var held = await ReportCounterRows.LockTalliesAsync(connection, transaction, serviceId, [.. cases.Select(c => (c.CreditorId, c.Reference))]);
        var tallies = new List<(string, string, CaseTally)>();
        var changes = new List<(string, Counter)>();
        foreach (var (creditorId, reference, events) in cases)
        {
            var (tally, counted) = ReportFold.Apply(held.GetValueOrDefault((creditorId, reference), CaseTally.None), events);
            if (counted.Count > 0)
            {
                tallies.Add((creditorId, reference, tally));
                changes.AddRange(counted.Select(c => (creditorId, c)));
            }
        }

        await CaseSummaryRows.UpsertAsync(connection, transaction, serviceId, [.. cases.Select(c => (c.CreditorId, c.Events[^1].Summary!))]);
        await ReportCounterRows.WriteTalliesAsync(connection, transaction, serviceId, tallies);
        // The counters last: their cells are shared by every writer of the creditor, so they stay locked the least time.
        await ReportCounterRows.AddAsync(connection, transaction, serviceId, ReportFold.Merge(changes));
        await transaction.CommitAsync();
        return [.. batch.Select(_ => true)];
    }

    public ValueTask DisposeAsync() => queue.DisposeAsync();

    [LoggerMessage(Level = LogLevel.Error, Message = "A write of {Count} cases' summaries and report counters failed; each event is delivered again")]
    private static partial void LogFailed(ILogger logger, Exception exception, int count);
}
