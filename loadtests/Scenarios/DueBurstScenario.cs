using System.Diagnostics;
using System.Globalization;
using Recouvrement.LoadTests.Infrastructure;

namespace Recouvrement.LoadTests.Scenarios;

/// <summary>
/// A backlog falling due at once. Cases due on Tuesday 3 November 2026 are fed before their first step; on the
/// engine's scaled clock, every one of them steps at Wednesday 00:00 and every debtor's e-mail and SMS fall due when
/// the send window opens at 08:00. The messages go through fake SendGrid and Twilio servers over HTTP. Measured:
/// messages per second from the window's opening until the backlog is empty, and each message's delay.
/// First, unless turned off, a smaller burst of other cases already overdue goes out on the Tuesday evening, so that
/// the measured one meets a silo that has dispatched before (its code compiled), as a silo in service has.
/// </summary>
public static class DueBurstScenario
{
    public sealed record Options(int Cases, int Batch, int Concurrency, double Speed, int WarmUpCases = 2_000, TimeSpan? ReminderRefresh = null);

    // Tuesday 17:00 in Paris: the warm-up's first steps, already due, are set one refresh plus one loading window
    // ahead (three engine hours with a one-hour refresh) and must still go out before the window closes at 20:00.
    private static readonly DateTimeOffset Start = new(2026, 11, 3, 17, 0, 0, TimeSpan.FromHours(1));
    private static readonly DateTimeOffset Steps = new(2026, 11, 4, 0, 0, 0, TimeSpan.FromHours(1)); // D+1: every case steps
    private static readonly DateTimeOffset Window = new(2026, 11, 4, 8, 0, 0, TimeSpan.FromHours(1)); // the send window opens
    private static readonly DateTimeOffset WarmUpWindowCloses = new(2026, 11, 3, 20, 0, 0, TimeSpan.FromHours(1));

    public static async Task<Report> RunAsync(Options options, int baselineSeconds, string? json)
    {
        await using var providers = await FakeProviderServer.StartAsync();
        var anchor = DateTimeOffset.UtcNow.AddSeconds(30); // time for the silo to start
        var settings = providers.EngineSettings();
        settings["Recouvrement__Clock__Speed"] = options.Speed.ToString(CultureInfo.InvariantCulture);
        settings["Recouvrement__Clock__Start"] = Start.ToString("O");
        settings["Recouvrement__Clock__Anchor"] = anchor.ToString("O");
        if (options.ReminderRefresh is { } refresh)
        {
            // In service Orleans rereads a silo's reminders every 5 real minutes, so a burst of half a minute meets
            // at most one reread; on the scaled clock the default 5 engine minutes would be one every 1.5 real seconds.
            settings["Recouvrement__Reminders__RefreshPeriod"] = refresh.ToString("c", CultureInfo.InvariantCulture);
        }

        await using var engine = await Engine.StartAsync(settings);
        using var http = engine.Client();

        DateTimeOffset RealTimeOf(DateTimeOffset engineTime) => anchor + ((engineTime - Start) / options.Speed);
        long warmMessages = 0;
        if (options.WarmUpCases > 0)
        {
            // Due on Monday: their first step (Tuesday 00:00) has passed, so they step and send while Tuesday's window is open.
            var (warmed, _, _, _) = await IngestScenario.FeedAsync(http, new IngestScenario.Options(options.WarmUpCases, options.Batch, options.Concurrency, Csv: false, Due: "2026-11-02", CasesPerDebtor: 1), "w" + Guid.NewGuid().ToString("N")[..7]);
            var warming = new Progress("warm-up burst");
            var closes = RealTimeOf(WarmUpWindowCloses);
            while (providers.Received < 2 * warmed && DateTimeOffset.UtcNow < closes)
            {
                warming.Show(() => $"{providers.Received:N0}/{2 * warmed:N0} messages at the providers");
                await Task.Delay(100);
            }

            warmMessages = providers.Received;
            warming.Done(() => $"{warmMessages:N0}/{2 * warmed:N0} messages at the providers, not counted");
        }

        var (stored, ingestErrors, _, _) = await IngestScenario.FeedAsync(http, new IngestScenario.Options(options.Cases, options.Batch, options.Concurrency, Csv: false, Due: "2026-11-03", CasesPerDebtor: 1), Guid.NewGuid().ToString("N")[..8]);
        var fedInTime = DateTimeOffset.UtcNow < RealTimeOf(Steps);

        var expected = 2 * stored; // one e-mail and one SMS per debtor
        long Measured() => providers.Received - warmMessages;
        var windowOpens = RealTimeOf(Window);
        var deadline = windowOpens + TimeSpan.FromMinutes(15);
        var progress = new Progress("due burst");
        SiloRuntime? beforeWindow = null;
        while (Measured() < expected && DateTimeOffset.UtcNow < deadline)
        {
            var toWindow = windowOpens - DateTimeOffset.UtcNow;
            if (beforeWindow is null && toWindow < TimeSpan.FromSeconds(3))
            {
                beforeWindow = await SiloRuntime.ReadAsync(http);
            }

            progress.Show(() => toWindow > TimeSpan.Zero
                ? $"{stored:N0} cases fed; window opens in {toWindow.TotalSeconds:0} s"
                : $"{Measured():N0}/{expected:N0} messages at the providers");
            await Task.Delay(100);
        }

        progress.Done(() => $"{Measured():N0}/{expected:N0} messages at the providers");
        var afterBurst = await SiloRuntime.ReadAsync(http);
        var openTimestamp = Stopwatch.GetTimestamp() - (long)((DateTimeOffset.UtcNow - windowOpens).TotalSeconds * Stopwatch.Frequency);
        var delays = Latency.NewHistogram();
        var last = openTimestamp;
        var arrivals = providers.Arrivals.Skip((int)warmMessages).ToList();
        foreach (var arrival in arrivals)
        {
            delays.RecordValue(Math.Max(0, arrival - openTimestamp));
            last = Math.Max(last, arrival);
        }

        var drain = TimeSpan.FromSeconds((last - openTimestamp) / (double)Stopwatch.Frequency);
        var report = new Report("due-burst");
        report.Settings["cases"] = options.Cases.ToString(CultureInfo.InvariantCulture);
        report.Settings["clock_speed"] = options.Speed.ToString(CultureInfo.InvariantCulture);
        report.Settings["warm_up_cases"] = options.WarmUpCases.ToString(CultureInfo.InvariantCulture);
        report.Settings["reminder_refresh"] = options.ReminderRefresh is { } r ? $"{r:c} engine time ({r.TotalSeconds / options.Speed:0.#} real s)" : "the silo's default";
        report.Figures["warm_up_messages"] = warmMessages;
        report.Settings["debtors"] = "one per case: an e-mail and an SMS each";
        report.Figures["cases_due"] = stored;
        report.Figures["messages_expected"] = expected;
        report.Figures["messages_at_providers"] = Measured();
        report.Figures["seconds_to_empty_backlog"] = drain.TotalSeconds;
        report.Figures["messages_per_second"] = Measured() / Math.Max(drain.TotalSeconds, 0.001);
        report.Figures["due_cases_per_second"] = Measured() / 2.0 / Math.Max(drain.TotalSeconds, 0.001);
        if (beforeWindow is not null && stored > 0)
        {
            afterBurst.AddTo(report, beforeWindow, stored, "due_case");
            report.Notes.Add("silo_* figures: the silo's runtime counters from 3 s before the window opened to the end of the burst");
        }

        report.Latencies["message delay after the window opened"] = Latency.From(delays);
        report.Errors = ingestErrors + (expected - Measured());
        if (!fedInTime)
        {
            report.Notes.Add("the feed ended after the cases' step time: raise --speed's margin or lower --cases");
        }

        var perSecond = new long[(int)Math.Ceiling(drain.TotalSeconds) + 1];
        foreach (var arrival in arrivals)
        {
            perSecond[Math.Clamp((int)((arrival - openTimestamp) / Stopwatch.Frequency), 0, perSecond.Length - 1)]++;
        }

        report.Notes.Add("messages at the providers in each second after the window opened: " + string.Join(" ", perSecond));
        report.Notes.Add("target: 100,000 due cases handled in <= 30 s (due_cases_per_second >= 3,333)");
        await Baselines.AddAsync(report, engine.ConnectionString, baselineSeconds, options.Concurrency);
        report.Ratio("messages_per_second", Baselines.PgBench);
        report.Ratio("messages_per_second", Baselines.GrainCalls);
        return report;
    }
}
