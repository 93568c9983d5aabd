using Recouvrement.Hosting;

namespace Recouvrement.Silo.Hosting;

/// <summary>The engine clock, bound from <c>Recouvrement:Clock</c>. The defaults are the real clock.</summary>
public sealed class ClockOptions
{
    public const string Section = "Recouvrement:Clock";

    /// <summary>How many simulated seconds pass per real second. Default: 1 (real time).</summary>
    [Positive]
    public double Speed { get; set; } = 1;

    /// <summary>The simulated instant at <see cref="Anchor"/>. Default: none (the real time at the anchor).</summary>
    public DateTimeOffset? Start { get; set; }

    /// <summary>
    /// The real instant the simulation started. Default: when the process started. Give every process of a
    /// cluster (and a restarted one) the same anchor so that they share one continuous simulated time.
    /// </summary>
    public DateTimeOffset? Anchor { get; set; }

    public bool IsReal => Math.Abs(Speed - 1) < double.Epsilon && Start is null;
}
