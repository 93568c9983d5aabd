using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Recouvrement.Cases;

/// <summary>
/// Wakes, in the background, the cases the bulk intake created whose first step is already due: the intake answers
/// once the cases are stored, and their first steps then run here as reminders due at once would, a few dozen at a
/// time. Should a wake-up fail, or the silo stop first, the case's reminder row, due a little later, takes the step.
/// </summary>
public sealed partial class CaseWakeups : IDisposable
{
    /// <summary>How many wake-ups run at once on a silo.</summary>
    public const int Concurrency = 32;

    /// <summary>How many wait at most; past it a case is left to its reminder row.</summary>
    public const int MaxWaiting = 1_000_000;

    private readonly Channel<string> waiting = System.Threading.Channels.Channel.CreateBounded<string>(new BoundedChannelOptions(MaxWaiting) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly IGrainFactory grains;
    private readonly ILogger<CaseWakeups> logger;

    public CaseWakeups(IGrainFactory grains, ILogger<CaseWakeups> logger)
    {
        this.grains = grains;
        this.logger = logger;
        for (var i = 0; i < Concurrency; i++)
        {
            _ = Task.Run(WakeAsync);
        }
    }

    public void Enqueue(IEnumerable<string> caseKeys)
    {
        foreach (var key in caseKeys)
        {
            waiting.Writer.TryWrite(key);
        }
    }

    private async Task WakeAsync()
    {
        await foreach (var key in waiting.Reader.ReadAllAsync())
        {
            try
            {
                await grains.Reference<ICaseGrain>(key).WakeUp();
            }
            catch (Exception exception)
            {
                // Only the type: the case is stored, and its reminder row takes the step should nothing else.
                LogWakeFailed(logger, exception.GetType().FullName);
            }
        }
    }

    public void Dispose() => waiting.Writer.TryComplete();

    [LoggerMessage(Level = LogLevel.Warning, Message = "A case created in bulk could not be woken ({Error}); its reminder takes its first step a little later")]
    private static partial void LogWakeFailed(ILogger logger, string? error);
}
