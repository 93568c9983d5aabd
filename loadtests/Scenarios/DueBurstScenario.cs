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
    /// <param name="Webhooks">A webhook subscription to every event, on a local receiver: the events' fan-out is measured with the burst.</param>
    public sealed record Options(int Cases, int Batch, int Concurrency, double Speed, int WarmUpCases = 2_000, TimeSpan? ReminderRefresh = null, bool Webhooks = false);

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

        await using var receiver = options.Webhooks ? await WebhookReceiver.StartAsync() : null;
        if (receiver is not null)
        {
            settings["Recouvrement__Webhooks__AllowPrivateTargets"] = "true";
        }

        await using var engine = await Engine.StartAsync(settings);
        using var http = engine.Client();
        if (receiver is not null)
        {
            using var subscribed = await http.PostAsync("/api/v1/webhooks", new StringContent(
                $$"""{"url":"{{receiver.Url}}","events":["*"]}""", System.Text.Encoding.UTF8, "application/json"));
            subscribed.EnsureSuccessStatusCode();
        }

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
        if (receiver is not null)
        {
            await AddWebhookFiguresAsync(report, engine.ConnectionString, http, receiver, openTimestamp, expected, drain, windowOpens + TimeSpan.FromMinutes(15));
        }

        await Baselines.AddAsync(report, engine.ConnectionString, baselineSeconds, options.Concurrency);
        report.Ratio("messages_per_second", Baselines.PgBench);
        report.Ratio("messages_per_second", Baselines.GrainCalls);
        return report;
    }

    /// <summary>
    /// The burst's events at the creditor's endpoint: each message sent is a <c>case.contacted</c> event, delivered once
    /// the send is recorded. Waits (until the deadline) for as many as the messages measured.
    /// </summary>
    private static async Task AddWebhookFiguresAsync(Report report, string connectionString, HttpClient http, WebhookReceiver receiver, long openTimestamp, long expected, TimeSpan drain, DateTimeOffset deadline)
    {
        List<long> Contacted() => [.. receiver.Arrivals.Where(a => a.Type == "case.contacted" && a.At >= openTimestamp).Select(a => a.At)];
        var progress = new Progress("webhooks");
        var (seen, movedAt) = (0L, Stopwatch.GetTimestamp());
        while (Contacted().Count < expected && DateTimeOffset.UtcNow < deadline && Stopwatch.GetElapsedTime(movedAt) < TimeSpan.FromSeconds(20))
        {
            if (receiver.Deliveries != seen)
            {
                (seen, movedAt) = (receiver.Deliveries, Stopwatch.GetTimestamp());
            }

            progress.Show(() => $"{Contacted().Count:N0}/{expected:N0} case.contacted events at the receiver");
            await Task.Delay(100);
        }

        if (Contacted().Count < expected)
        {
            // Stalled: say what the subscription says of itself.
            var subscriptions = await http.GetStringAsync("/api/v1/webhooks");
            report.Notes.Add("webhooks stalled; the subscription: " + subscriptions);
            var id = System.Text.Json.JsonDocument.Parse(subscriptions).RootElement.GetProperty("items")[0].GetProperty("id").GetString();
            var deliveries = await http.GetStringAsync($"/api/v1/webhooks/{id}/deliveries");
            report.Notes.Add("its last deliveries: " + deliveries[..Math.Min(deliveries.Length, 600)]);
            await using (var database = Npgsql.NpgsqlDataSource.Create(connectionString))
            await using (var command = database.CreateCommand("SELECT event_id, tx::text, position, type, occurred_at FROM recouvrement_events ORDER BY tx, position"))
            await using (var reader = await command.ExecuteReaderAsync())
            {
                var rows = new List<(string Id, string Tx, long Position, string Type, DateTimeOffset At)>();
                while (await reader.ReadAsync())
                {
                    rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4)));
                }

                var got = receiver.Ids;
                var missing = rows.Select((r, i) => (r, i)).Where(x => !got.Contains(x.r.Id)).ToList();
                report.Notes.Add($"the log holds {rows.Count} events, received {got.Count}, missing {missing.Count}; first missing at index {missing.FirstOrDefault().i}: {missing.FirstOrDefault().r}; last missing index {missing.LastOrDefault().i}; received after first missing: {rows.Skip(missing.FirstOrDefault().i).Count(r => got.Contains(r.Id))}");
                var ranges = new List<string>();
                for (var k = 0; k < missing.Count;)
                {
                    var start = k;
                    while (k + 1 < missing.Count && missing[k + 1].i == missing[k].i + 1)
                    {
                        k++;
                    }

                    ranges.Add($"[{missing[start].i}..{missing[k].i}] tx {missing[start].r.Tx}/{missing[start].r.Position}..{missing[k].r.Tx}/{missing[k].r.Position} {missing[start].r.Type} {missing[start].r.At:HH:mm:ss}");
                    k++;
                }

                report.Notes.Add($"{ranges.Count} runs of events not received, in log order: " + string.Join(" ; ", ranges.Take(30)));
                report.Notes.Add("around the first not received: " + string.Join(" | ", rows.Skip(Math.Max(0, missing.FirstOrDefault().i - 3)).Take(8).Select(r => $"{r.Tx}/{r.Position}/{r.Type}/{(got.Contains(r.Id) ? "got" : "MISSING")}")));
            }

        }

        var arrivals = Contacted();
        progress.Done(() => $"{arrivals.Count:N0}/{expected:N0} case.contacted events at the receiver");
        var last = arrivals.Count == 0 ? openTimestamp : arrivals.Max();
        var toLast = TimeSpan.FromSeconds((last - openTimestamp) / (double)Stopwatch.Frequency);
        report.Settings["webhooks"] = "one subscription to every event (\"*\"), a local receiver answering 200 at once";
        report.Figures["webhook_contacted_events"] = arrivals.Count;
        report.Figures["webhook_deliveries_all_events"] = receiver.Deliveries;
        report.Figures["webhook_seconds_to_last_event"] = toLast.TotalSeconds;
        report.Figures["webhook_events_per_second"] = arrivals.Count / Math.Max(toLast.TotalSeconds, 0.001);
        report.Figures["webhook_lag_behind_messages_s"] = (toLast - drain).TotalSeconds;
        var perSecond = new long[(int)Math.Ceiling(toLast.TotalSeconds) + 1];
        foreach (var at in arrivals)
        {
            perSecond[Math.Clamp((int)((at - openTimestamp) / Stopwatch.Frequency), 0, perSecond.Length - 1)]++;
        }

        report.Notes.Add("case.contacted events at the receiver in each second after the window opened: " + string.Join(" ", perSecond));
        report.Errors += expected - arrivals.Count;
    }
}
