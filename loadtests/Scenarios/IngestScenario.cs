using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using HdrHistogram;

namespace Recouvrement.LoadTests.Scenarios;

/// <summary>What one ingest run measured.</summary>
public sealed record IngestResult(int Cases, int Stored, int Errors, TimeSpan Elapsed, HistogramBase BatchLatency)
{
    public double CasesPerSecond => Stored / Elapsed.TotalSeconds;

    public void Print(double pgbenchCommitsPerSecond)
    {
        static double Ms(HistogramBase h, double p) => h.GetValueAtPercentile(p) / (Stopwatch.Frequency / 1000.0);
        var text = string.Create(CultureInfo.InvariantCulture, $"""
            scenario ingest: {Stored}/{Cases} cases stored durably in {Elapsed.TotalSeconds:0.0} s, errors {Errors}
              durable cases/s          {CasesPerSecond:0}
              baseline pgbench commits/s {pgbenchCommitsPerSecond:0} (single-row INSERT per transaction, same server, same run)
              ratio cases/s ÷ commits/s  {CasesPerSecond / pgbenchCommitsPerSecond:0.00}
              batch latency ms         p50 {Ms(BatchLatency, 50):0} p90 {Ms(BatchLatency, 90):0} p99 {Ms(BatchLatency, 99):0} p99.9 {Ms(BatchLatency, 99.9):0} max {BatchLatency.GetMaxValue() / (Stopwatch.Frequency / 1000.0):0}
            """);
        Console.WriteLine(text);
    }
}

/// <summary>
/// Creditors feeding cases through <c>POST /api/v1/cases/batch</c>, several batches in flight. A case counts
/// once the API acknowledged it as created, which happens only after its grain state is written to PostgreSQL.
/// </summary>
public static class IngestScenario
{
    public static async Task<IngestResult> RunAsync(Uri url, string key, int cases, int batchSize, int concurrency)
    {
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var run = Guid.NewGuid().ToString("N")[..8];
        var histogram = new LongHistogram(TimeStamp.Minutes(10), 3);
        var batches = Enumerable.Range(0, (cases + batchSize - 1) / batchSize).ToList();
        var stored = 0;
        var errors = 0;

        await Send(http, Body(run + "w", 0, Math.Min(batchSize, 200))); // warm-up, discarded
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (batch, _) =>
        {
            var count = Math.Min(batchSize, cases - (batch * batchSize));
            var started = Stopwatch.GetTimestamp();
            var (created, failed) = await Send(http, Body(run, batch * batchSize, count));
            var elapsed = Stopwatch.GetTimestamp() - started;
            lock (histogram)
            {
                histogram.RecordValue(elapsed);
            }

            Interlocked.Add(ref stored, created);
            Interlocked.Add(ref errors, failed);
            Console.Write(string.Create(CultureInfo.InvariantCulture, $"\r  ingest: {Volatile.Read(ref stored)} stored, {Volatile.Read(ref errors)} errors, {watch.Elapsed.TotalSeconds:0.0} s   "));
        });
        watch.Stop();
        Console.WriteLine();
        return new IngestResult(cases, stored, errors, watch.Elapsed, histogram);
    }

    private static async Task<(int Created, int Failed)> Send(HttpClient http, string body)
    {
        using var response = await http.PostAsync("/api/v1/cases/batch", new StringContent(body, Encoding.UTF8, "application/json"));
        if (!response.IsSuccessStatusCode)
        {
            return (0, 1);
        }

        using var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = result.RootElement;
        return (root.GetProperty("created").GetInt32(), root.GetProperty("received").GetInt32() - root.GetProperty("created").GetInt32());
    }

    private static string Body(string run, int first, int count)
    {
        var items = Enumerable.Range(first, count).Select(i => string.Create(CultureInfo.InvariantCulture, $$$"""
            {"reference":"L{{{run}}}-{{{i}}}","amount":{{{15 + (i % 66)}}}.50,"currency":"EUR","issuedOn":"2026-09-12","dueOn":"2026-10-12",
             "debtor":{"reference":"P{{{run}}}-{{{i / 2}}}","kind":"consumer","name":"Patient {{{i / 2}}}","email":"p{{{i / 2}}}@example.org","phone":"+33612345678"}}
            """));
        return "[" + string.Join(',', items) + "]";
    }
}
