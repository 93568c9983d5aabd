using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Recouvrement.LoadTests.Infrastructure;

namespace Recouvrement.LoadTests.Scenarios;

/// <summary>
/// Creditors feeding cases over HTTP, several requests in flight: JSON batches to <c>POST /api/v1/cases/batch</c>
/// and CSV files to <c>POST /api/v1/imports</c>, alternately. A case counts once the API acknowledged it as
/// created, which happens only after its grain state is written to PostgreSQL.
/// </summary>
public static class IngestScenario
{
    public sealed record Options(int Cases, int Batch, int Concurrency, bool Csv, string? Due = null, int CasesPerDebtor = 2)
    {
        /// <summary>The cases' due date: given, or three weeks ago (so the first reminder is due at once).</summary>
        public string DueOn => Due ?? IngestScenario.DueOn(-22);
    }

    public static async Task<(long Stored, long Errors, TimeSpan Elapsed, Latency Latency)> FeedAsync(
        HttpClient http, Options options, string run, CancellationToken cancellationToken = default)
    {
        var histogram = Latency.NewHistogram();
        var batches = Enumerable.Range(0, (options.Cases + options.Batch - 1) / options.Batch).ToList();
        long stored = 0, errors = 0;
        var progress = new Progress("ingest");
        var watch = Stopwatch.StartNew();
        try
        {
            await Feed();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped from outside (the reads of query-mix are over): what was stored so far counts.
        }

        watch.Stop();
        progress.Done(() => $"{stored:N0} stored, {errors} errors");
        return (stored, errors, watch.Elapsed, Latency.From(histogram));

        Task Feed() => Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken }, async (batch, ct) =>
        {
            var first = batch * options.Batch;
            var count = Math.Min(options.Batch, options.Cases - first);
            var csv = options.Csv && batch % 2 == 1;
            var started = Stopwatch.GetTimestamp();
            var (created, failed) = csv
                ? await SendCsv(http, Csv(run, first, count, options.DueOn, options.CasesPerDebtor), ct)
                : await SendJson(http, Json(run, first, count, options.DueOn, options.CasesPerDebtor), ct);
            var elapsed = Stopwatch.GetTimestamp() - started;
            lock (histogram)
            {
                histogram.RecordValue(elapsed);
            }

            Interlocked.Add(ref stored, created);
            Interlocked.Add(ref errors, failed);
            progress.Show(() => $"{Interlocked.Read(ref stored):N0} stored, {Interlocked.Read(ref errors)} errors");
        });
    }

    public static async Task<Report> RunAsync(Options options, int baselineSeconds, string? json)
    {
        await using var engine = await Engine.StartAsync();
        using var http = engine.Client();
        var run = Guid.NewGuid().ToString("N")[..8];
        await SendJson(http, Json(run + "w", 0, 200, options.DueOn, 2), CancellationToken.None); // warm-up, discarded
        var (stored, errors, elapsed, latency) = await FeedAsync(http, options, run);

        var report = new Report("ingest");
        report.Settings["cases"] = options.Cases.ToString(CultureInfo.InvariantCulture);
        report.Settings["batch"] = options.Batch.ToString(CultureInfo.InvariantCulture);
        report.Settings["concurrency"] = options.Concurrency.ToString(CultureInfo.InvariantCulture);
        report.Settings["formats"] = options.Csv ? "JSON batch and CSV import, alternately" : "JSON batch";
        report.Figures["durable_cases_per_second"] = stored / elapsed.TotalSeconds;
        report.Figures["cases_stored"] = stored;
        report.Latencies["request (one batch or file)"] = latency;
        report.Errors = errors;
        await Baselines.AddAsync(report, engine.ConnectionString, baselineSeconds, options.Concurrency);
        report.Ratio("durable_cases_per_second", Baselines.PgBench);
        report.Ratio("durable_cases_per_second", Baselines.GrainCalls);
        return report;
    }

    private static async Task<(int Created, int Failed)> SendJson(HttpClient http, string body, CancellationToken ct)
    {
        using var response = await http.PostAsync("/api/v1/cases/batch", new StringContent(body, Encoding.UTF8, "application/json"), ct);
        return await Counts(response, ct);
    }

    private static async Task<(int Created, int Failed)> SendCsv(HttpClient http, string body, CancellationToken ct)
    {
        using var response = await http.PostAsync("/api/v1/imports", new StringContent(body, Encoding.UTF8, "text/csv"), ct);
        return await Counts(response, ct);
    }

    private static async Task<(int Created, int Failed)> Counts(HttpResponseMessage response, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            return (0, 1);
        }

        using var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        var root = result.RootElement;
        var created = root.GetProperty("created").GetInt32();
        var received = root.TryGetProperty("received", out var r) ? r.GetInt32() : root.GetProperty("lines").GetInt32();
        return (created, received - created);
    }

    public static string DueOn(int days) => DateOnly.FromDateTime(DateTime.UtcNow).AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Json(string run, int first, int count, string due, int perDebtor)
    {
        var items = Enumerable.Range(first, count).Select(i => string.Create(CultureInfo.InvariantCulture, $$$"""
            {"reference":"L{{{run}}}-{{{i}}}","amount":{{{15 + (i % 66)}}}.50,"currency":"EUR","issuedOn":"2026-01-12","dueOn":"{{{due}}}",
             "debtor":{"reference":"P{{{run}}}-{{{i / perDebtor}}}","kind":"consumer","name":"Patient {{{i / perDebtor}}}","email":"p{{{i / perDebtor}}}@example.org","phone":"+336{{{10_000_000 + (i / perDebtor)}}}"}}
            """));
        return "[" + string.Join(',', items) + "]";
    }

    private static string Csv(string run, int first, int count, string due, int perDebtor)
    {
        var text = new StringBuilder("reference;amount;currency;issued_on;due_on;debtor_reference;debtor_kind;debtor_name;email;phone\n");
        foreach (var i in Enumerable.Range(first, count))
        {
            text.Append(CultureInfo.InvariantCulture, $"L{run}-{i};{15 + (i % 66)},50;EUR;2026-01-12;{due};P{run}-{i / perDebtor};consumer;Patient {i / perDebtor};p{i / perDebtor}@example.org;+336{10_000_000 + (i / perDebtor)}\n");
        }

        return text.ToString();
    }
}
