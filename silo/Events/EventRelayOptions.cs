using System.ComponentModel.DataAnnotations;
using Recouvrement.Hosting;

namespace Recouvrement.Silo.Events;

/// <summary><c>Recouvrement:Events</c>: how the event log is relayed to the event stream.</summary>
public sealed class EventRelayOptions
{
    public const string Section = "Recouvrement:Events";

    /// <summary>How long the relay waits before reading the log again once it found nothing new. Default: 100 ms.</summary>
    [Positive]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How many events the relay reads and hands to the stream at a time. Default: 1,000.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 1000;

    /// <summary>
    /// Whether this process relays the log to the event stream at all. Off, events are still stored with the states
    /// and served by the feed, but the read model's projection gets nothing: for measuring what the relay costs
    /// (<c>docs/benchmarks.md</c>), or for a cluster where other silos relay. Default: true.
    /// </summary>
    public bool Relay { get; set; } = true;
}
