namespace Recouvrement.Silo.Hosting;

/// <summary>The engine clock, bound from <c>Recouvrement:Clock</c>. The defaults are the real clock.</summary>
public sealed class ClockOptions
{
    /// <summary>How many simulated seconds pass per real second. Default: 1 (real time).</summary>
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

/// <summary>
/// <c>Recouvrement:Reminders</c>, in engine time: how often each silo rereads its share of the reminder table and how
/// far ahead it loads what falls due (Orleans' <c>RefreshReminderListPeriod</c> and <c>ReminderLoadingWindow</c>).
/// A reminder written behind the service's back (bulk intake) is seen at the next reread, so bulk intake sets a first
/// step already due one period plus one window ahead. Defaults: Orleans' (5 and 10 minutes); with a scaled clock the
/// period is at least about a real second, and the window twice the period.
/// </summary>
public sealed class ReminderTiming
{
    public TimeSpan? RefreshPeriod { get; set; }

    public TimeSpan? LoadingWindow { get; set; }
}

/// <summary>
/// A clock that runs <c>Speed</c> times faster than real time from a chosen start: the demo and the
/// process-level tests live through weeks of a schedule in minutes. Timers are scaled the same way.
/// </summary>
public sealed class ScaledTimeProvider : TimeProvider
{
    private readonly TimeProvider _real;
    private readonly DateTimeOffset _start;
    private readonly DateTimeOffset _anchor;
    private readonly long _anchorTimestamp;
    private readonly double _speed;

    public ScaledTimeProvider(ClockOptions options, TimeProvider real)
    {
        if (options.Speed <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Speed, "Recouvrement:Clock:Speed must be positive");
        }

        _real = real;
        _speed = options.Speed;
        _anchor = options.Anchor ?? real.GetUtcNow();
        _start = options.Start ?? _anchor;
        _anchorTimestamp = real.GetTimestamp() - (long)((real.GetUtcNow() - _anchor).TotalSeconds * real.TimestampFrequency);
    }

    public override DateTimeOffset GetUtcNow() => _start + ((_real.GetUtcNow() - _anchor) * _speed);

    public override long TimestampFrequency => _real.TimestampFrequency;

    public override long GetTimestamp() => _anchorTimestamp + (long)((_real.GetTimestamp() - _anchorTimestamp) * _speed);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ScaledTimer(_real.CreateTimer(callback, state, Scale(dueTime), Scale(period)), this);

    private TimeSpan Scale(TimeSpan span) => span == Timeout.InfiniteTimeSpan || span <= TimeSpan.Zero ? span : span / _speed;

    private sealed class ScaledTimer(ITimer inner, ScaledTimeProvider clock) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(clock.Scale(dueTime), clock.Scale(period));

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
