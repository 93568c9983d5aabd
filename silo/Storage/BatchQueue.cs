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
    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>();
    private readonly Func<IReadOnlyList<TWrite>, Task<TResult[]>> commit;
    private readonly Action<Exception, int> failed;
    private readonly int maxBatch;
    private readonly Task[] writers;
    private long commits;

    /// <param name="commit">Commits a batch in one transaction; returns one result per write, in order.</param>
    /// <param name="failed">Told of a failed batch and its size, before each of its callers gets the error.</param>
    public BatchQueue(int maxBatch, int writers, Func<IReadOnlyList<TWrite>, Task<TResult[]>> commit, Action<Exception, int> failed)
    {
        this.maxBatch = Math.Max(1, maxBatch);
        this.commit = commit;
        this.failed = failed;
        this.writers = [.. Enumerable.Range(0, Math.Max(1, writers)).Select(_ => Task.Run(WriteLoopAsync))];
    }

    /// <summary>Transactions committed so far.</summary>
    public long Commits => Interlocked.Read(ref commits);

    public Task<TResult> EnqueueAsync(TWrite write)
    {
        var pending = new Pending(write);
        return queue.Writer.TryWrite(pending)
            ? pending.Done.Task
            : Task.FromException<TResult>(new InvalidOperationException("the storage is shutting down"));
    }

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
                var results = await commit(writes);
                Interlocked.Increment(ref commits);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(results[i]);
                }
            }
            catch (Exception exception)
            {
                failed(exception, batch.Count);
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(exception);
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
