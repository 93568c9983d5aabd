using System.Threading.Channels;

namespace Recouvrement.Silo.Storage;

/// <summary>
/// Group commit (and grouped reads): items queued from many callers at once are taken in batches of at most
/// <c>maxBatch</c>, each batch handled by one call of <c>commit</c> (one transaction or one query), by
/// <c>writers</c> loops in parallel. Each caller gets its own item's result once its batch is done (durable, for
/// writes), or the batch's error.
/// </summary>
/// <remarks>
/// Under light load a batch is one write and nothing waits for company; under a burst the cost of a round trip
/// and a WAL flush is spread over the batch.
/// </remarks>
internal sealed class BatchQueue<TWrite, TResult> : IAsyncDisposable
{
    /// <summary>
    /// After a batch failed because the database could not be reached, batches fail at once for this long instead of
    /// each waiting for its own connection attempt: callers get their error (a 503 for an API client) in
    /// milliseconds while the database is down, and one attempt per period finds it back.
    /// </summary>
    public static readonly TimeSpan Pause = TimeSpan.FromSeconds(1);

    private readonly Channel<Pending> queue;
    private readonly Func<IReadOnlyList<TWrite>, Task<TResult[]>> commit;
    private readonly Action<Exception, int> failed;
    private readonly int maxBatch;
    private readonly Task[] writers;
    private long commits;
    private long pausedUntil;
    private Exception? unreachable;

    /// <param name="commit">Commits a batch in one transaction; returns one result per write, in order.</param>
    /// <param name="failed">Told of a failed batch and its size, before each of its callers gets the error.</param>
    /// <param name="maxQueued">At most this many items wait; one more fails at once (<see cref="StorageUnavailableException"/>).</param>
    public BatchQueue(int maxBatch, int writers, Func<IReadOnlyList<TWrite>, Task<TResult[]>> commit, Action<Exception, int> failed, int maxQueued = StorageWriteOptions.DefaultMaxQueued)
    {
        this.maxBatch = Math.Max(1, maxBatch);
        this.commit = commit;
        this.failed = failed;
        queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(Math.Max(1, maxQueued)) { FullMode = BoundedChannelFullMode.Wait });
        this.writers = [.. Enumerable.Range(0, Math.Max(1, writers)).Select(_ => Task.Run(WriteLoopAsync))];
    }

    /// <summary>Transactions committed so far.</summary>
    public long Commits => Interlocked.Read(ref commits);

    public Task<TResult> EnqueueAsync(TWrite write)
    {
        var pending = new Pending(write);
        if (queue.Writer.TryWrite(pending))
        {
            return pending.Done.Task;
        }

        return Task.FromException<TResult>(queue.Reader.Completion.IsCompleted
            ? new InvalidOperationException("the storage is shutting down")
            : new StorageUnavailableException("too many storage operations are waiting for the database; retry later"));
    }

    /// <summary>Whether an error says the database could not be reached (rather than refused a statement).</summary>
    private static bool Unreachable(Exception e) =>
        e is Npgsql.NpgsqlException { IsTransient: true } or System.Net.Sockets.SocketException or TimeoutException;

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(maxBatch);
        var writes = new List<TWrite>(maxBatch);
        while (await queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            writes.Clear();
            while (batch.Count < maxBatch && queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
                writes.Add(pending.Write);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                if (System.Diagnostics.Stopwatch.GetTimestamp() < Interlocked.Read(ref pausedUntil) && unreachable is { } cause)
                {
                    throw new StorageUnavailableException("the database cannot be reached; retry later", cause);
                }

                var results = await commit(writes);
                Interlocked.Increment(ref commits);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(results[i]);
                }
            }
            catch (Exception exception)
            {
                if (exception is not StorageUnavailableException)
                {
                    failed(exception, batch.Count);
                }

                if (Unreachable(exception))
                {
                    unreachable = exception;
                    Interlocked.Exchange(ref pausedUntil, System.Diagnostics.Stopwatch.GetTimestamp() + (long)(Pause.TotalSeconds * System.Diagnostics.Stopwatch.Frequency));
                }

                var error = Unreachable(exception) ? new StorageUnavailableException("the database cannot be reached; retry later", exception) : exception;
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(error);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await Task.WhenAll(writers);
    }

    private sealed record Pending(TWrite Write)
    {
        public TaskCompletionSource<TResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
