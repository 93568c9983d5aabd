using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Recouvrement.Api.Cases;

/// <summary>One item offered for intake: where it stood in its batch or file, and its validated draft or errors.</summary>
public sealed record IntakeItem(int Position, string? Reference, CaseDraft? Draft, IReadOnlyList<FieldError> Errors);

/// <summary>What became of one item: created, duplicate, conflict, invalid, or failed (safe to resubmit).</summary>
public sealed record IntakeOutcome(int Position, string? Reference, string Status, IReadOnlyList<FieldError> Errors);

/// <summary>
/// Feeds validated cases to the engine. New cases of new debtors are first offered in chunks to the bulk intake
/// (<see cref="ICaseIntakeGrain"/>: one database transaction per chunk); every other item goes to its own grain,
/// many at once. Items sharing a reference go in their order, so the first is created and the later ones are
/// duplicates or conflicts; every item gets an outcome.
/// </summary>
public sealed partial class CaseIntake(IGrainFactory grains, ILogger<CaseIntake> logger)
{
    /// <summary>How many case creations run at once for one request.</summary>
    public const int Parallelism = 64;

    /// <summary>How many drafts one bulk intake call carries.</summary>
    public const int BulkChunk = 1000;

    public async Task<IReadOnlyList<IntakeOutcome>> SubmitAsync(string creditorId, IReadOnlyList<IntakeItem> items, CancellationToken cancellationToken)
    {
        var outcomes = new ConcurrentDictionary<int, IntakeOutcome>();
        foreach (var invalid in items.Where(i => i.Draft is null))
        {
            outcomes[invalid.Position] = new IntakeOutcome(invalid.Position, invalid.Reference, "invalid", invalid.Errors);
        }

        var groups = items.Where(i => i.Draft is not null).GroupBy(i => i.Draft!.Reference, StringComparer.Ordinal).ToList();
        foreach (var item in await CreateInBulk(creditorId, [.. groups.Select(g => g.First())], cancellationToken))
        {
            outcomes[item.Position] = new IntakeOutcome(item.Position, item.Reference, "created", []);
        }

        await Parallel.ForEachAsync(groups, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (group, _) =>
            {
                foreach (var item in group.Where(i => !outcomes.ContainsKey(i.Position)))
                {
                    outcomes[item.Position] = await CreateOne(creditorId, item);
                }
            });

        return [.. items.Select(i => outcomes[i.Position])];
    }

    /// <summary>The items the bulk intake created. A chunk that fails writes nothing, so its items fall to their grains.</summary>
    private async Task<List<IntakeItem>> CreateInBulk(string creditorId, IReadOnlyList<IntakeItem> firsts, CancellationToken cancellationToken)
    {
        var created = new List<IntakeItem>();
        foreach (var chunk in firsts.Chunk(BulkChunk))
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var answers = await grains.GetGrain<ICaseIntakeGrain>(0).CreateNew(creditorId, [.. chunk.Select(i => i.Draft!)]);
                created.AddRange(chunk.Where((_, n) => answers[n]));
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogBulkFailed(logger, exception, creditorId, chunk.Length);
            }
        }

        return created;
    }

    private async Task<IntakeOutcome> CreateOne(string creditorId, IntakeItem item)
    {
        try
        {
            var creation = await grains.Reference<ICaseGrain>(GrainKeys.Compose(creditorId, item.Draft!.Reference)).Create(item.Draft);
            var status = creation.Outcome switch
            {
                CreationOutcome.Created => "created",
                CreationOutcome.Duplicate => "duplicate",
                _ => "conflict",
            };
            var errors = creation.Outcome == CreationOutcome.Conflict
                ? new[] { new FieldError("reference", "a case with this reference exists with different content") }
                : [];
            return new IntakeOutcome(item.Position, item.Reference, status, errors);
        }
        catch (Exception exception) when (exception is TimeoutException or OrleansException)
        {
            LogFailed(logger, exception, creditorId, item.Position);
            return new IntakeOutcome(item.Position, item.Reference, "failed",
                [new FieldError("reference", "not stored this time; resubmit the item, creation is idempotent")]);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bulk intake failed for creditor {CreditorId} on {Count} cases; they go through their grains")]
    private static partial void LogBulkFailed(ILogger logger, Exception exception, string creditorId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Case creation failed for creditor {CreditorId}, item {Position}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string creditorId, int position);
}
