using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Recouvrement.Debtors;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Grains;

/// <summary>The silo's dispatch queue on its own, with the dispatch given as a function.</summary>
public sealed class DispatchQueueTests
{
    [Fact]
    public async Task No_more_dispatches_run_at_once_than_configured_and_each_that_ends_lets_the_next_in()
    {
        var running = new ConcurrentDictionary<string, TaskCompletionSource>();
        var started = new ConcurrentQueue<string>();
        using var queue = new DispatchQueue(key =>
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            running[key] = done;
            started.Enqueue(key);
            return done.Task;
        }, 2, NullLogger.Instance);

        queue.Enqueue("labo/A");
        queue.Enqueue("labo/B");
        queue.Enqueue("labo/C");
        await Eventually.True(() => started.Count == 2, TimeSpan.FromSeconds(10), "two dispatches running");
        Assert.Equal(1, queue.Waiting);
        Assert.DoesNotContain("labo/C", started);

        running[started.First()].SetResult();
        await Eventually.True(() => started.Count == 3, TimeSpan.FromSeconds(10), "the third dispatch running");
        Assert.Contains("labo/C", started);
        Assert.Equal(0, queue.Waiting);
    }

    [Fact]
    public async Task A_failed_dispatch_does_not_stop_the_queue_and_a_limit_below_one_still_lets_one_run()
    {
        var done = new ConcurrentQueue<string>();
        using var queue = new DispatchQueue(key =>
        {
            done.Enqueue(key);
            return key == "labo/A" ? Task.FromException(new TimeoutException("no answer")) : Task.CompletedTask;
        }, 0, NullLogger.Instance);

        queue.Enqueue("labo/A");
        queue.Enqueue("labo/B");
        await Eventually.True(() => done.Count == 2, TimeSpan.FromSeconds(10), "both dispatches run");
        Assert.Equal(["labo/A", "labo/B"], done);
    }
}
