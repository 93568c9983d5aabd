using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Recouvrement.Access;

namespace Recouvrement.Api.Access;

/// <summary>
/// The last use of each key this process authenticated, kept in memory and written to the creditor's keys every
/// <see cref="ApiKeyOptions.UsageFlushInterval"/> (and when the process stops): a request never writes storage.
/// A process that dies loses at most one interval of uses.
/// </summary>
public sealed partial class ApiKeyUsage(IGrainFactory grains, IOptions<ApiKeyOptions> options, TimeProvider time, ILogger<ApiKeyUsage> logger)
    : BackgroundService
{
    private readonly ConcurrentDictionary<ApiKeyBinding, LastUse> _uses = new();

    /// <summary>Notes that the key was used now: a dictionary write, nothing more.</summary>
    public void Record(ApiKeyBinding key) => _uses.GetOrAdd(key, static _ => new LastUse()).Seen(time.GetUtcNow());

    /// <summary>Writes the uses seen since the last flush, one call per creditor.</summary>
    public async Task FlushAsync()
    {
        var due = new Dictionary<string, List<(string KeyId, LastUse Use, DateTimeOffset At)>>();
        foreach (var (key, use) in _uses)
        {
            if (use.TakeUnreported() is { } at)
            {
                (due.TryGetValue(key.CreditorId, out var uses) ? uses : due[key.CreditorId] = []).Add((key.KeyId, use, at));
            }
        }

        foreach (var (creditorId, uses) in due)
        {
            try
            {
                await grains.Reference<ICreditorKeysGrain>(creditorId).RecordUse(uses.ToDictionary(u => u.KeyId, u => u.At));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFlushFailed(logger, creditorId, e);
                uses.ForEach(u => u.Use.Unreport(u.At));
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.UsageFlushInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await FlushAsync();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync();
    }

    /// <summary>A key's latest use, and the latest one reported. Lock-free: uses of one key race only to be the latest.</summary>
    private sealed class LastUse
    {
        private long _ticks;
        private long _reported;

        public void Seen(DateTimeOffset at)
        {
            long seen;
            do
            {
                seen = Volatile.Read(ref _ticks);
            }
            while (at.UtcTicks > seen && Interlocked.CompareExchange(ref _ticks, at.UtcTicks, seen) != seen);
        }

        /// <summary>The latest use when it was not reported yet, which it now counts as reported.</summary>
        public DateTimeOffset? TakeUnreported()
        {
            var ticks = Volatile.Read(ref _ticks);
            return Interlocked.Exchange(ref _reported, ticks) == ticks ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }

        /// <summary>The report of <paramref name="at"/> failed: the next flush reports it again.</summary>
        public void Unreport(DateTimeOffset at) => Interlocked.CompareExchange(ref _reported, 0, at.UtcTicks);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the key uses of creditor {CreditorId}; they are retried at the next flush")]
    private static partial void LogFlushFailed(ILogger logger, string creditorId, Exception exception);
}
