using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Recouvrement.Api.Cases;

/// <summary>
/// One item offered for intake: where it stood in its batch or file, and its validated draft or errors; or, when
/// reading it failed unexpectedly, <see cref="Failed"/> with the reason.
/// </summary>
public sealed record IntakeItem(int Position, string? Reference, CaseDraft? Draft, IReadOnlyList<FieldError> Errors, bool Failed = false);

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

    /// <summary>What an item gets when handling it threw something nobody expected: safe to resubmit, but likely to fail again.</summary>
    public const string UnexpectedFailure = "not stored: an unexpected error while handling this item (logged for the operator); the other items are not affected";

    private const string TransientFailure = "not stored this time; resubmit the item, creation is idempotent";

    /// <summary>
    /// Reads and validates one item with <paramref name="read"/>; an exception is this item's failure, so that one odd
    /// item never fails its whole batch or file.
    /// </summary>
    public IntakeItem Prepare(int position, Func<IntakeItem> read)
    {
        try
        {
            return read();
        }
        catch (Exception exception)
        {
            LogUnexpected(logger, "reading", position, exception.GetType().FullName, exception.StackTrace);
            return new IntakeItem(position, null, null, [new FieldError("$", UnexpectedFailure)], Failed: true);
        }
    }

    public async Task<IReadOnlyList<IntakeOutcome>> SubmitAsync(string creditorId, IReadOnlyList<IntakeItem> items, CancellationToken cancellationToken)
    {
        var outcomes = new ConcurrentDictionary<int, IntakeOutcome>();
        foreach (var invalid in items.Where(i => i.Draft is null))
        {
            outcomes[invalid.Position] = new IntakeOutcome(invalid.Position, invalid.Reference, invalid.Failed ? "failed" : "invalid", invalid.Errors);
        }

        var groups = items.Where(i => i.Draft is not null).GroupBy(i => i.Draft!.Reference, StringComparer.Ordinal).ToList();
        foreach (var item in await CreateInBulk(creditorId, [.. groups.Select(g => g.First())], cancellationToken))
        {
            outcomes[item.Position] = new IntakeOutcome(item.Position, item.Reference, "created", []);
        }

        await Parallel.ForEachAsync(groups, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (group, token) =>
            {
                foreach (var item in group.Where(i => !outcomes.ContainsKey(i.Position)))
                {
                    outcomes[item.Position] = await CreateOne(creditorId, item, token);
                }
            });

        return [.. items.Select(i => outcomes[i.Position])];
    }

    /// <summary>
    /// The items the bulk intake created. A chunk that fails writes nothing, so its items fall to their grains. The
    /// silo wakes the created cases whose first step is already due (docs/architecture.md, "The bulk path").
    /// </summary>
    private async Task<List<IntakeItem>> CreateInBulk(string creditorId, IReadOnlyList<IntakeItem> firsts, CancellationToken cancellationToken)
    {
        var created = new List<IntakeItem>();
        foreach (var chunk in firsts.Chunk(BulkChunk))
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool[] answer;
            try
            {
                answer = await grains.GetGrain<ICaseIntakeGrain>(0).CreateNew(creditorId, [.. chunk.Select(i => i.Draft!)]);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogBulkFailed(logger, exception, creditorId, chunk.Length);
                continue;
            }

            created.AddRange(chunk.Where((_, n) => answer[n]));
        }

        return created;
    }

    /// <summary>One case through its grain. Total: whatever the grain or the cluster throws is this item's <c>failed</c> outcome.</summary>
    private async Task<IntakeOutcome> CreateOne(string creditorId, IntakeItem item, CancellationToken cancellationToken)
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
            return new IntakeOutcome(item.Position, item.Reference, "failed", [new FieldError("reference", TransientFailure)]);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Only the type and the stack: an exception's message may quote the draft, and so the debtor.
            LogUnexpected(logger, "creating", item.Position, exception.GetType().FullName, exception.StackTrace);
            return new IntakeOutcome(item.Position, item.Reference, "failed", [new FieldError("$", UnexpectedFailure)]);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bulk intake failed for creditor {CreditorId} on {Count} cases; they go through their grains")]
    private static partial void LogBulkFailed(ILogger logger, Exception exception, string creditorId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Case creation failed for creditor {CreditorId}, item {Position}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string creditorId, int position);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected {ExceptionType} while {Stage} intake item {Position}; the item is answered as failed, the others go on. At {StackTrace}")]
    private static partial void LogUnexpected(ILogger logger, string stage, int position, string? exceptionType, string? stackTrace);
}
