using Npgsql;
using Recouvrement.Events;

namespace Recouvrement.Silo.Storage;

/// <summary>
/// Keeps the read model's cases in <c>recouvrement_case_summary</c>: the summaries waiting at the same moment are
/// upserted in one statement (a group commit), each only over an older one (by the case's event sequence), so a
/// replayed or late event never turns a case back.
/// </summary>
public sealed partial class PostgresCaseSummaryWriter : ICaseSummaryWriter, IAsyncDisposable
{
    private readonly NpgsqlDataSource database;
    private readonly string serviceId;
    private readonly BatchQueue<(string CreditorId, CaseSummary Summary), bool> queue;

    public PostgresCaseSummaryWriter(NpgsqlDataSource database, string serviceId, StorageWriteOptions settings, ILogger<PostgresCaseSummaryWriter> logger)
    {
        this.database = database;
        this.serviceId = serviceId;
        queue = new BatchQueue<(string, CaseSummary), bool>(settings.MaxBatch, settings.Writers, UpsertAsync, (e, count) => LogFailed(logger, e, count), settings.MaxQueued);
    }

    public Task ApplyAsync(string creditorId, CaseSummary summary) => queue.EnqueueAsync((creditorId, summary));

    public Task EraseDebtorAsync(string creditorId, string debtorReference) => CaseSummaryRows.EraseDebtorAsync(database, serviceId, creditorId, debtorReference);

    private async Task<bool[]> UpsertAsync(IReadOnlyList<(string CreditorId, CaseSummary Summary)> batch)
    {
        await CaseSummaryRows.UpsertAsync(database, serviceId, batch);
        return [.. batch.Select(_ => true)];
    }

    public ValueTask DisposeAsync() => queue.DisposeAsync();

    [LoggerMessage(Level = LogLevel.Error, Message = "An upsert of {Count} case summaries failed; each event is delivered again")]
    private static partial void LogFailed(ILogger logger, Exception exception, int count);
}
