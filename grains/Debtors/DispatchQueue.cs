using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Recouvrement.Debtors;

/// <summary>
/// The silo's queue of debtors whose dispatch is due, worked through by at most
/// <see cref="ContactOptions.MaxConcurrentDispatches"/> dispatches at once. A debtor's reminder tick only enqueues
/// its key and is answered at once: when a whole backlog falls due together, a waiting debtor costs one entry here
/// (not a timer and a suspended dispatch each, which the GC had to carry), its grain stays free for other calls
/// while it waits, and the silo sends at the pace it can sustain instead of letting ticks expire.
/// </summary>
public sealed partial class DispatchQueue : IDisposable
{
    private readonly Channel<string> queue = System.Threading.Channels.Channel.CreateUnbounded<string>();
    private readonly CancellationTokenSource stopping = new();
    private readonly Func<string, Task> dispatch;
    private readonly int workers;
    private readonly ILogger logger;
    private int started;

    public DispatchQueue(IGrainFactory grains, IOptions<ContactOptions> options, ILogger<DispatchQueue> logger)
        : this(key => grains.GetGrain<IDebtorGrain>(key).DispatchDue(), options.Value.MaxConcurrentDispatches, logger)
    {
    }

    /// <summary>With the dispatch itself given: for a test of the queue alone.</summary>
    public DispatchQueue(Func<string, Task> dispatch, int maxConcurrentDispatches, ILogger logger)
    {
        this.dispatch = dispatch;
        workers = Math.Max(1, maxConcurrentDispatches);
        this.logger = logger;
    }

    /// <summary>Debtors waiting for their turn.</summary>
    public int Waiting => queue.Reader.Count;

    public void Enqueue(string debtorKey)
    {
        if (Interlocked.Exchange(ref started, 1) == 0)
        {
            for (var i = 0; i < workers; i++)
            {
                _ = Task.Run(WorkAsync);
            }
        }

        queue.Writer.TryWrite(debtorKey);
    }

    private async Task WorkAsync()
    {
        try
        {
            while (await queue.Reader.WaitToReadAsync(stopping.Token))
            {
                while (queue.Reader.TryRead(out var key))
                {
                    try
                    {
                        await dispatch(key);
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
                    {
                        // The debtor's reminder, moved or removed only when a dispatch ends, fires again.
                        LogDispatchFailed(logger, e);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Silo stopping: the debtors still queued keep their reminders, which fire on a silo that owns them.
        }
    }

    public void Dispose()
    {
        stopping.Cancel();
        queue.Writer.TryComplete();
        stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A queued dispatch failed; the debtor's reminder fires again")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception);
}
