using Orleans.Streams;
using Recouvrement.Events;

namespace Recouvrement.Silo.Events;

/// <summary>Where the relay got to in the log: kept in PostgreSQL (<c>recouvrement_event_cursors</c>) or in memory.</summary>
public interface IEventCursorStore
{
    Task<EventCursor> ReadAsync(CancellationToken cancellationToken);

    Task WriteAsync(EventCursor cursor, CancellationToken cancellationToken);

    /// <summary>Waits until this process may relay: one relay at a time in the cluster. The returned lease ends with it.</summary>
    Task<IAsyncDisposable> AcquireAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Relays the durable event log (the transactional outbox) to the event stream: in log order, each creditor's events
/// on the stream of their case's shard, then records how far it got. On PostgreSQL the stream is persistent and a
/// hand-off returns once the batch is stored, so a crash between handing events to the stream and recording it hands
/// them again (consumers are idempotent on the event id): an event is delayed, never dropped.
/// One relay runs in the cluster at a time (<see cref="IEventCursorStore.AcquireAsync"/>).
/// </summary>
public sealed partial class EventRelay(
    IEventLog log, IEventCursorStore cursors, IClusterClient client, IOptions<EventRelayOptions> options, ILogger<EventRelay> logger) : BackgroundService
{
    /// <summary>Streams handed a batch at once: each is an insert on its own connection, which the grains share.</summary>
    private const int HandOffs = 16;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var lease = await cursors.AcquireAsync(stoppingToken);
                await RelayAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database or the stream is away: try again shortly, from the last recorded cursor.
                LogRelayFailed(logger, e);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    private async Task RelayAsync(CancellationToken stoppingToken)
    {
        var provider = client.GetStreamProvider(EventStreams.Provider);
        var cursor = await cursors.ReadAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            var page = await log.ReadAsync(null, cursor, null, options.Value.BatchSize, stoppingToken);
            if (page.Count == 0)
            {
                await Task.Delay(options.Value.PollInterval, stoppingToken);
                continue;
            }

            // One batch per stream, in log order within it: a case's events keep their order, streams go in parallel.
            // On PostgreSQL each batch is a row of the stream's queue, committed before OnNextBatchAsync returns, so
            // the cursor below only ever moves past events the stream holds durably: the rows commit without waiting for
            // their flush (schema 0009), and the cursor's own synchronous commit flushes the log up to it, rows included.
            await Parallel.ForEachAsync(
                page.GroupBy(e => EventStreams.Key(e.Event)),
                new ParallelOptions { MaxDegreeOfParallelism = HandOffs, CancellationToken = stoppingToken },
                (stream, _) => new ValueTask(provider.GetStream<EngineEvent>(StreamId.Create(EventStreams.Namespace, stream.Key))
                    .OnNextBatchAsync([.. stream.Select(e => e.Event)])));
            cursor = page[^1].Cursor;
            await cursors.WriteAsync(cursor, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The event relay stopped on an error; it starts again from its last cursor")]
    private static partial void LogRelayFailed(ILogger logger, Exception exception);
}

/// <summary>The embedded default's cursor: in memory, and this process is the only relay.</summary>
public sealed class MemoryEventCursorStore : IEventCursorStore
{
    private EventCursor cursor;

    public Task<EventCursor> ReadAsync(CancellationToken cancellationToken) => Task.FromResult(cursor);

    public Task WriteAsync(EventCursor cursor, CancellationToken cancellationToken)
    {
        this.cursor = cursor;
        return Task.CompletedTask;
    }

    public Task<IAsyncDisposable> AcquireAsync(CancellationToken cancellationToken) => Task.FromResult<IAsyncDisposable>(new Released());

    private sealed class Released : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
