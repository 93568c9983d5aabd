namespace Recouvrement.Silo.Hosting;

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
