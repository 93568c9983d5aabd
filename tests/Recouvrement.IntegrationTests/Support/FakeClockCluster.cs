using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using Orleans.Configuration;
using Orleans.Reminders;
using Orleans.Reminders.Diagnostics;
using Orleans.Storage;
using Orleans.TestingHost;
using Recouvrement.Calendar;
using Recouvrement.Hosting;
using Recouvrement.Messaging;

namespace Recouvrement.Tests.Support;

/// <summary>
/// An in-process Orleans cluster whose grains and reminders share one fake clock, with an outbox in a
/// temporary folder. <see cref="RunUntil"/> moves the clock from one due timer to the next and waits for each
/// to be handled, so a case's two months pass in seconds and every action happens at its exact time.
/// </summary>
public sealed class FakeClockCluster : IAsyncDisposable
{
    private static readonly TimeSpan HandlingDeadline = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Nudge = TimeSpan.FromMilliseconds(5);
    private readonly InProcessTestCluster _cluster;
    private readonly List<string> _cases = [];
    private readonly List<string> _debtors = [];

    private readonly ReminderTicks _ticks;
    private readonly IDisposable _tickEvents;

    private FakeClockCluster(InProcessTestCluster cluster, FakeTimeProvider clock, RecordingChannel channel, string outbox, StorageFaults faults)
    {
        Faults = faults;
        _cluster = cluster;
        Clock = clock;
        Channel = channel;
        OutboxFolder = outbox;
        _ticks = new ReminderTicks(cluster.Silos[0].SiloAddress);
        _tickEvents = ReminderEvents.AllEvents.Subscribe(_ticks);
    }

    public FakeTimeProvider Clock { get; }

    public RecordingChannel Channel { get; }

    /// <summary>Storage writes a test can make fail.</summary>
    public StorageFaults Faults { get; }

    private const string MemoryStorage = "memory";

    public string OutboxFolder { get; }

    public IGrainFactory Grains => _cluster.Client;

    /// <summary>Starts a one-silo cluster at <paramref name="start"/>; <paramref name="settings"/> adds configuration (channels, caps).</summary>
    public static async Task<FakeClockCluster> StartAsync(DateTimeOffset start, IDictionary<string, string?>? settings = null)
    {
        var clock = new FakeTimeProvider(start);
        var outbox = Directory.CreateTempSubdirectory("recouvrement-outbox-").FullName;
        var channel = new RecordingChannel();
        var faults = new StorageFaults();
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Recouvrement:Outbox:Path"] = outbox,
                ["Recouvrement:Channels:Letters:Path"] = Path.Combine(outbox, "letters"),
            })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(MemoryStorage);
            silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Default, (sp, _) => faults.Over(sp.GetRequiredKeyedService<IGrainStorage>(MemoryStorage)));
            silo.UseInMemoryReminderService();
            silo.Services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
            silo.Services.AddRecouvrementEngine(configuration);
            silo.Services.AddSingleton<IMessageChannel>(sp => channel.Over(sp.GetRequiredService<Recouvrement.Channels.ChannelRouter>()));
            silo.Services.AddKeyedSingleton<TimeProvider>(EngineClock.Key, clock);
            silo.Services.AddKeyedSingleton<TimeProvider>(ReminderTimeProviderNames.Reminders, clock);
            silo.Services.PostConfigure<ReminderOptions>(o =>
            {
                o.MinimumReminderPeriod = TimeSpan.FromMinutes(1);
                // Keep every reminder armed in memory: the clock jumps from one due time to the next, and a
                // reminder left to the periodic table refresh would skip the occurrence the jump landed on.
                o.RefreshReminderListPeriod = TimeSpan.FromDays(1);
                o.ReminderLoadingWindow = TimeSpan.FromDays(3650);
            });
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new FakeClockCluster(cluster, clock, channel, outbox, faults);
    }

    public DateTimeOffset Now => Clock.GetUtcNow();

    public static DateTimeOffset Paris(int year, int month, int day, int hour, int minute = 0) =>
        ParisTime.At(new DateOnly(year, month, day), new TimeOnly(hour, minute));

    public async Task<CaseCreation> CreateCase(string creditorId, CaseDraft draft)
    {
        var creation = await Grains.GetGrain<ICaseGrain>(GrainKeys.Compose(creditorId, draft.Reference)).Create(draft);
        Track(creditorId, draft);
        return creation;
    }

    public void Track(string creditorId, CaseDraft draft)
    {
        _cases.Add(GrainKeys.Compose(creditorId, draft.Reference));
        var debtor = GrainKeys.Compose(creditorId, draft.Debtor.Reference);
        if (!_debtors.Contains(debtor))
        {
            _debtors.Add(debtor);
        }
    }

    public ICaseGrain Case(string creditorId, string reference) => Grains.GetGrain<ICaseGrain>(GrainKeys.Compose(creditorId, reference));

    public IDebtorGrain Debtor(string creditorId, string reference) => Grains.GetGrain<IDebtorGrain>(GrainKeys.Compose(creditorId, reference));

    /// <summary>Advances the clock timer by timer up to <paramref name="end"/>, waiting for each one's work to finish.</summary>
    public async Task RunUntil(DateTimeOffset end)
    {
        while (true)
        {
            var before = await Snapshot();
            var next = before.Values.Where(t => t is not null).Select(t => t!.Value).Where(t => t > Now).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
            var due = before.Values.Any(t => t is { } at && at <= Now);
            if (!due && next > end)
            {
                Clock.SetUtcNow(end);
                return;
            }

            if (!due)
            {
                Clock.SetUtcNow(next);
            }

            // Orleans gives a due reminder a one-millisecond delay on the reminder clock, so the clock is nudged
            // forward a little while waiting; a step may thus run a few milliseconds after its due time.
            await Eventually.Get(
                async () =>
                {
                    Clock.Advance(Nudge);
                    return await Snapshot();
                },
                after => _ticks.Settled && (!SameSchedule(before, after) || !after.Values.Any(t => t is { } at && at <= Now)),
                HandlingDeadline, $"the timers due at {Now:O} to be handled");
        }
    }

    /// <summary>How many reminder ticks the grain keyed <paramref name="key"/> has received and answered.</summary>
    public int TicksAnswered(string key) => _ticks.Answered(key);

    /// <summary>
    /// Nudges the clock forward a few milliseconds at a time until <paramref name="condition"/> holds, for a test
    /// that must act while some work is still in progress (which <see cref="RunUntil"/> would wait out).
    /// </summary>
    public Task NudgeUntil(Func<bool> condition, string expectation) =>
        Eventually.True(
            () =>
            {
                Clock.Advance(Nudge);
                return condition();
            },
            HandlingDeadline,
            expectation);

    /// <summary>As <see cref="NudgeUntil(Func{bool}, string)"/>, for a condition read from the grains.</summary>
    public Task<T> NudgeUntil<T>(Func<Task<T>> probe, Func<T, bool> done, string expectation) =>
        Eventually.Get(
            () =>
            {
                Clock.Advance(Nudge);
                return probe();
            },
            done,
            HandlingDeadline,
            expectation);

    /// <summary>
    /// Whether every reminder tick of this cluster's silo has been delivered and its reminder has armed its next
    /// wait. The clock must not reach a reminder's next occurrence before that: the reminder service computes the
    /// next tick from the clock once the tick returns, and a clock already past it skips to the one after.
    /// </summary>
    private sealed class ReminderTicks(SiloAddress silo) : IObserver<ReminderEvents.ReminderEvent>
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<(GrainId, string), bool> _busy = new();
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _answered = new();

        public int Answered(string key) => _answered.GetValueOrDefault(key);

        public bool Settled => _busy.IsEmpty;

        public void OnNext(ReminderEvents.ReminderEvent value)
        {
            if (!silo.Equals(value.SiloAddress))
            {
                return;
            }

            switch (value)
            {
                case ReminderEvents.TickFiring:
                    _busy[(value.GrainId, value.ReminderName)] = true;
                    break;
                case ReminderEvents.TickCompleted:
                    _answered.AddOrUpdate(value.GrainId.Key.ToString()!, 1, (_, n) => n + 1);
                    break;
                case ReminderEvents.LocalReminderTickWaitArmed or ReminderEvents.LocalReminderStopped:
                    _busy.TryRemove((value.GrainId, value.ReminderName), out _);
                    break;
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }

    private static bool SameSchedule(Dictionary<string, DateTimeOffset?> a, Dictionary<string, DateTimeOffset?> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    /// <summary>Every tracked grain's next timer: a case's next step, a debtor's next dispatch.</summary>
    private async Task<Dictionary<string, DateTimeOffset?>> Snapshot()
    {
        var times = new Dictionary<string, DateTimeOffset?>();
        foreach (var key in _cases)
        {
            var view = await Grains.GetGrain<ICaseGrain>(key).Get();
            times["case:" + key] = view?.NextStep?.At;
        }

        foreach (var key in _debtors)
        {
            var view = await Grains.GetGrain<IDebtorGrain>(key).Get();
            times["debtor:" + key] = view?.NextContactAt;
        }

        return times;
    }

    public async ValueTask DisposeAsync()
    {
        _tickEvents.Dispose();
        await _cluster.DisposeAsync();
        Directory.Delete(OutboxFolder, recursive: true);
    }
}
