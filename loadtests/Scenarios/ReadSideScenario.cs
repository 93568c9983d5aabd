using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HdrHistogram;
using Recouvrement.LoadTests.Infrastructure;

namespace Recouvrement.LoadTests.Scenarios;

/// <summary>
/// The read model at size, as a creditor's software reads it. A portfolio of many cases is fed through the API
/// (their due dates spread over twelve months, two cases per debtor), the projection is let to catch up (a marker
/// case paid and listed paid), then <c>GET /api/v1/cases</c> is called at a fixed arrival rate with the queries a
/// billing system makes: the first page, a page deep in a walk (by its cursor), one status, one debtor, one month of
/// due dates, the cases changed since a moment. Open-loop: each request's latency counts from when it was due.
/// Last, the whole portfolio is exported as CSV (<c>GET /api/v1/cases/export</c>), read to its last byte.
/// </summary>
public static class ReadSideScenario
{
    public sealed record Options(int Cases, int Batch, int Concurrency, int Rate, int Seconds, int WarmUpSeconds);

    private const int Months = 12;

    public static async Task<Report> RunAsync(Options options, int baselineSeconds, string? json)
    {
        await using var engine = await Engine.StartAsync();
        using var http = engine.Client();
        var run = Guid.NewGuid().ToString("N")[..8];
        var probe = await ProjectionProbe.PrepareAsync(http, run, 10);

        // The portfolio, one month of due dates after another, all in the future: nothing steps while it is read.
        var perMonth = (options.Cases + Months - 1) / Months;
        long stored = 0, errors = 0;
        var feeding = Stopwatch.StartNew();
        for (var month = 0; month < Months && stored < options.Cases; month++)
        {
            var count = (int)Math.Min(perMonth, options.Cases - stored);
            Console.WriteLine($"  feeding month {month + 1}/{Months}: {count:N0} cases…");
            var (s, e, _, _) = await IngestScenario.FeedAsync(http, new IngestScenario.Options(count, options.Batch, options.Concurrency, Csv: false, Due: DueOn(month)), $"{run}m{month}");
            stored += s;
            errors += e;
        }

        feeding.Stop();
        var changedSince = DateTimeOffset.UtcNow.AddSeconds(-10);
        var caughtUp = await probe.OnceAsync();
        Console.WriteLine($"  {stored:N0} cases in {feeding.Elapsed.TotalSeconds:0} s; the projection caught up {caughtUp.TotalSeconds:0.0} s after the feed");

        // Cursors deep in a walk of the whole list, to ask for pages far from the first.
        var cursors = new List<string>();
        string? cursor = null;
        for (var page = 0; page < 50; page++)
        {
            using var document = JsonDocument.Parse(await http.GetStringAsync($"/api/v1/cases?limit=1000{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}"));
            cursor = document.RootElement.GetProperty("nextCursor").GetString();
            if (cursor is null)
            {
                break;
            }

            cursors.Add(cursor);
        }

        string Query(int n) => (n % 6) switch
        {
            0 => "/api/v1/cases",
            1 => "/api/v1/cases?cursor=" + Uri.EscapeDataString(cursors[(n / 6) % cursors.Count]),
            2 => "/api/v1/cases?status=active",
            3 => $"/api/v1/cases?debtor=P{run}m{(n / 6) % Months}-{(n * 7919) % (perMonth / 2)}",
            4 => $"/api/v1/cases?dueFrom={DueOn((n / 6) % Months)}&dueTo={DueOn((n / 6) % Months)}",
            _ => "/api/v1/cases?updatedSince=" + Uri.EscapeDataString(changedSince.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
        };
        string[] kinds = ["first page", "page deep in a walk (cursor)", "status=active", "debtor=…", "one month of due dates", "updatedSince=…"];

        if (options.WarmUpSeconds > 0)
        {
            var warm = await ReadAsync(http, Query, kinds.Length, options.Rate, options.WarmUpSeconds, "warm-up");
            Console.WriteLine($"  warm-up: {warm.Sent:N0} lists, not counted");
        }

        var reads = await ReadAsync(http, Query, kinds.Length, options.Rate, options.Seconds, "list");

        // The export, twice: the first reads the table from disk as a creditor's first export of the day would.
        var exports = new List<(long Rows, long Bytes, TimeSpan Elapsed)>();
        for (var i = 0; i < 2; i++)
        {
            exports.Add(await ExportAsync(http));
            Console.WriteLine($"  export {i + 1}: {exports[^1].Rows:N0} rows, {exports[^1].Bytes / 1e6:0} MB in {exports[^1].Elapsed.TotalSeconds:0.0} s");
        }

        var report = new Report("read-side");
        report.Settings["cases"] = options.Cases.ToString(CultureInfo.InvariantCulture);
        report.Settings["portfolio"] = $"fed through POST /api/v1/cases/batch ({options.Batch} per request, {options.Concurrency} in flight), due dates over {Months} months, two cases per debtor";
        report.Settings["list_rate"] = $"{options.Rate} requests/s for {options.Seconds} s after a {options.WarmUpSeconds} s warm-up, the six queries in turn, default limit (100)";
        report.Figures["cases_in_read_model"] = stored + 10;
        report.Figures["feed_cases_per_second"] = stored / feeding.Elapsed.TotalSeconds;
        report.Figures["projection_caught_up_after_feed_ms"] = caughtUp.TotalMilliseconds;
        report.Figures["lists_per_second"] = reads.Sent / reads.Elapsed.TotalSeconds;
        report.Figures["list_p99_ms"] = Latency.From(reads.All).P99;
        report.Latencies["GET /api/v1/cases (all queries)"] = Latency.From(reads.All);
        for (var k = 0; k < kinds.Length; k++)
        {
            report.Latencies["  " + kinds[k]] = Latency.From(reads.ByKind[k]);
        }

        report.Figures["export_rows"] = exports[^1].Rows;
        report.Figures["export_rows_per_second_first"] = exports[0].Rows / exports[0].Elapsed.TotalSeconds;
        report.Figures["export_rows_per_second"] = exports[^1].Rows / exports[^1].Elapsed.TotalSeconds;
        report.Figures["export_megabytes_per_second"] = exports[^1].Bytes / 1e6 / exports[^1].Elapsed.TotalSeconds;
        report.Errors = errors + reads.Errors + probe.Failed + probe.Lost + (exports.Any(e => e.Rows != stored + 10) ? 1 : 0);
        report.Notes.Add("targets: list p99 <= 20 ms at 1,000,000 cases; export >= 100,000 rows/s");
        report.Notes.Add("export_rows_per_second: the second export of the run; _first: the first, the table read from disk");
        await Baselines.AddAsync(report, engine.ConnectionString, baselineSeconds, options.Concurrency);
        report.Ratio("export_rows_per_second", Baselines.PgBench);
        return report;
    }

    /// <summary>The first day of the given month from next month on, as the API writes dates.</summary>
    private static string DueOn(int month)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return new DateOnly(today.Year, today.Month, 1).AddMonths(1 + month).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    internal sealed record Reads(LongHistogram All, LongHistogram[] ByKind, long Errors, long Sent, TimeSpan Elapsed);

    /// <summary>Lists at a fixed arrival rate; each latency counts from the request's due time.</summary>
    internal static async Task<Reads> ReadAsync(HttpClient http, Func<int, string> query, int kinds, int rate, int seconds, string label)
    {
        var all = Latency.NewHistogram();
        var byKind = Enumerable.Range(0, kinds).Select(_ => Latency.NewHistogram()).ToArray();
        long errors = 0, sent = 0;
        var total = rate * seconds;
        var interval = Stopwatch.Frequency / (double)rate;
        var start = Stopwatch.GetTimestamp();
        var progress = new Progress(label);
        var inflight = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            var due = start + (long)(i * interval);
            var wait = due - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(wait / (double)Stopwatch.Frequency));
            }

            var n = i;
            inflight.Add(Task.Run(async () =>
            {
                try
                {
                    using var response = await http.GetAsync(query(n));
                    await response.Content.LoadIntoBufferAsync();
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }

                var latency = Math.Max(0, Stopwatch.GetTimestamp() - due);
                lock (all)
                {
                    all.RecordValue(latency);
                    byKind[n % kinds].RecordValue(latency);
                }

                Interlocked.Increment(ref sent);
            }));
            progress.Show(() => $"{Interlocked.Read(ref sent):N0}/{total:N0} lists, {Interlocked.Read(ref errors)} errors");
        }

        await Task.WhenAll(inflight);
        var elapsed = Stopwatch.GetElapsedTime(start);
        progress.Done(() => $"{sent:N0} lists, {errors} errors");
        return new Reads(all, byKind, errors, sent, elapsed);
    }

    /// <summary>The whole export, streamed and counted line by line as a client would read it.</summary>
    private static async Task<(long Rows, long Bytes, TimeSpan Elapsed)> ExportAsync(HttpClient http)
    {
        var watch = Stopwatch.StartNew();
        using var response = await http.GetAsync("/api/v1/cases/export", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[1 << 16];
        long lines = 0, bytes = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            bytes += read;
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }

        return (lines - 1, bytes, watch.Elapsed); // less the header
    }
}
