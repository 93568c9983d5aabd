using System.Diagnostics;
using System.Globalization;
using HdrHistogram;
using Recouvrement.LoadTests.Infrastructure;

namespace Recouvrement.LoadTests.Scenarios;

/// <summary>
/// Reads while ingest runs: <c>GET /api/v1/cases/{reference}</c> (and one in ten <c>GET /api/v1/debtors/{reference}</c>)
/// at a fixed arrival rate over cases already stored, while a creditor keeps feeding batches. Open-loop: each
/// request's latency counts from the moment it was due, so a stall shows up instead of slowing the load.
/// </summary>
public static class QueryMixScenario
{
    public sealed record Options(int Seeded, int Rate, int Seconds, int IngestConcurrency, int Batch, int IngestRate = 0, int WarmUpSeconds = 10);

    public static async Task<Report> RunAsync(Options options, int baselineSeconds, string? json)
    {
        await using var engine = await Engine.StartAsync();
        using var http = engine.Client();
        var run = Guid.NewGuid().ToString("N")[..8];
        Console.WriteLine($"  seeding {options.Seeded:N0} cases to read…");
        await IngestScenario.FeedAsync(http, new IngestScenario.Options(options.Seeded, options.Batch, 2, Csv: false), run);
        if (options.WarmUpSeconds > 0)
        {
            await IngestScenario.FeedAsync(http, new IngestScenario.Options(options.Seeded, options.Batch, 2, Csv: false), "w" + run);
        }

        using var stop = new CancellationTokenSource();
        var ingest = options.IngestRate > 0
            ? PacedIngestAsync(http, options, run + "b", stop.Token)
            : IngestScenario.FeedAsync(http, new IngestScenario.Options(1_000_000, options.Batch, options.IngestConcurrency, Csv: false), run + "b", stop.Token)
                .ContinueWith(t => t.IsCompletedSuccessfully ? t.Result.Stored : 0, TaskScheduler.Default);
        var ingestStarted = Stopwatch.GetTimestamp();

        // Warm-up: the same reads and ingest, on other cases, so that the measured seconds see a silo whose code
        // has been compiled (as a silo that has been up a while) but whose measured cases are still cold: each is
        // read from the database by its first request.
        if (options.WarmUpSeconds > 0)
        {
            var warm = await ReadAsync(http, "w" + run, options.Seeded, options.Rate, options.WarmUpSeconds, "warm-up");
            Console.WriteLine($"  warm-up: {warm.Sent:N0} reads on other cases, not counted");
        }

        var reads = await ReadAsync(http, run, options.Seeded, options.Rate, options.Seconds, "query mix");
        await stop.CancelAsync();
        var ingested = await ingest;
        var (cases, debtors, errors, sent, elapsed, worstPerSecond) = reads;

        var report = new Report("query-mix");
        report.Settings["target_reads_per_second"] = options.Rate.ToString(CultureInfo.InvariantCulture);
        report.Settings["seconds"] = options.Seconds.ToString(CultureInfo.InvariantCulture);
        report.Settings["warm_up_seconds"] = options.WarmUpSeconds.ToString(CultureInfo.InvariantCulture);
        report.Settings["seeded_cases"] = options.Seeded.ToString(CultureInfo.InvariantCulture);
        report.Settings["ingest_concurrency"] = options.IngestConcurrency.ToString(CultureInfo.InvariantCulture);
        report.Settings["ingest_rate"] = options.IngestRate > 0 ? $"{options.IngestRate} cases/s, paced" : "as fast as it goes";
        report.Figures["reads_per_second"] = sent / elapsed.TotalSeconds;
        report.Figures["cases_ingested_during_reads"] = ingested;
        report.Figures["ingest_cases_per_second_during_reads"] = ingested / Stopwatch.GetElapsedTime(ingestStarted).TotalSeconds;
        report.Latencies["GET /api/v1/cases/{reference}"] = Latency.From(cases);
        report.Latencies["GET /api/v1/debtors/{reference}"] = Latency.From(debtors);
        report.Errors = errors;
        report.Figures["case_read_p99_ms"] = report.Latencies["GET /api/v1/cases/{reference}"].P99;
        await Baselines.AddAsync(report, engine.ConnectionString, baselineSeconds, 4);
        report.Ratio("reads_per_second", Baselines.GrainCalls);
        report.Notes.Add("slowest read (ms) of the reads due in each second: "
            + string.Join(" ", worstPerSecond.Take(options.Seconds).Select(t => (t * 1000.0 / Stopwatch.Frequency).ToString("F0", CultureInfo.InvariantCulture))));
        report.Notes.Add("target: p99 <= 20 ms for case reads at 1,000 reads/s during ingest");
        return report;
    }

    /// <summary>
    /// Reads at a fixed arrival rate for the given seconds over cases <c>L{run}-i</c> and debtors <c>P{run}-i</c>;
    /// each latency counts from the request's due time.
    /// </summary>
    private static async Task<(LongHistogram Cases, LongHistogram Debtors, long Errors, long Sent, TimeSpan Elapsed, long[] WorstPerSecond)> ReadAsync(
        HttpClient http, string run, int seeded, int rate, int seconds, string label)
    {
        var cases = Latency.NewHistogram();
        var debtors = Latency.NewHistogram();
        long errors = 0, sent = 0;
        var total = rate * seconds;
        var worstPerSecond = new long[seconds + 1];
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
                var debtor = n % 10 == 9;
                var index = (n * 7919) % seeded;
                var path = debtor ? $"/api/v1/debtors/P{run}-{index / 2}" : $"/api/v1/cases/L{run}-{index}";
                try
                {
                    using var response = await http.GetAsync(path);
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
                var histogram = debtor ? debtors : cases;
                lock (histogram)
                {
                    histogram.RecordValue(latency);
                }

                var second = Math.Min(n / rate, seconds);
                long worst;
                while (latency > (worst = Interlocked.Read(ref worstPerSecond[second]))
                    && Interlocked.CompareExchange(ref worstPerSecond[second], latency, worst) != worst)
                {
                }

                Interlocked.Increment(ref sent);
            }));
            progress.Show(() => $"{Interlocked.Read(ref sent):N0}/{total:N0} reads, {Interlocked.Read(ref errors)} errors");
        }

        await Task.WhenAll(inflight);
        var elapsed = Stopwatch.GetElapsedTime(start);
        progress.Done(() => $"{sent:N0} reads, {errors} errors");
        return (cases, debtors, errors, sent, elapsed, worstPerSecond);
    }

    /// <summary>Feeds batches on a fixed schedule (one batch every Batch/IngestRate seconds), until stopped.</summary>
    private static async Task<long> PacedIngestAsync(HttpClient http, Options options, string run, CancellationToken ct)
    {
        long stored = 0;
        var every = TimeSpan.FromSeconds(options.Batch / (double)options.IngestRate);
        var start = Stopwatch.GetTimestamp();
        var sending = new List<Task>();
        for (var k = 0; !ct.IsCancellationRequested; k++)
        {
            var wait = every * k - Stopwatch.GetElapsedTime(start);
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, ct);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            var first = k * options.Batch;
            sending.Add(Task.Run(async () =>
            {
                var body = IngestScenario.Json(run, first, options.Batch, IngestScenario.DueOn(-22), 2);
                using var response = await http.PostAsync("/api/v1/cases/batch", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), CancellationToken.None);
                if (response.IsSuccessStatusCode)
                {
                    using var result = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(CancellationToken.None));
                    Interlocked.Add(ref stored, result.RootElement.GetProperty("created").GetInt32());
                }
            }, CancellationToken.None));
        }

        await Task.WhenAll(sending);
        return stored;
    }
}
