using System.Diagnostics;

namespace Recouvrement.Tests.Support;

/// <summary>Waits for a condition with a deadline, and fails saying what was expected. Never a bare sleep.</summary>
public static class Eventually
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    public static async Task<T> Get<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan deadline, string expectation)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (watch.Elapsed > deadline)
            {
                throw new TimeoutException($"Waited {deadline} for: {expectation}. Last seen: {value}");
            }

            await Task.Delay(Poll);
        }
    }

    public static Task True(Func<bool> condition, TimeSpan deadline, string expectation) =>
        Get(() => Task.FromResult(condition()), ok => ok, deadline, expectation);
}
