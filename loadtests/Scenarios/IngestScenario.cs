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
    /// <param name="ProbePeriod">How often a marker case is paid to measure the projection's lag (<see cref="ProjectionProbe"/>).</param>
    /// <param name="Markers">Marker cases created beforehand: the most probes a run can make.</param>
    public sealed record Options(int Cases, int Batch, int Concurrency, bool Csv, string? Due = null, int CasesPerDebtor = 2, TimeSpan ProbePeriod = default, int Markers = 2_000)
    {
        public TimeSpan ProbePeriod { get; init; } = ProbePeriod > TimeSpan.Zero ? ProbePeriod : TimeSpan.FromMilliseconds(200);

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

    /// <summary>The same feed on an engine whose relay is off (<c>Recouvrement:Events:Relay</c>), measured in the same run.</summary>
    public const string RelayOff = "durable_cases_per_second_relay_off";

    public static async Task<Report> RunAsync(Options options, int baselineSeconds, string? json)
    {
        var report = new Report("ingest");
        report.Settings["cases"] = options.Cases.ToString(CultureInfo.InvariantCulture);
        report.Settings["batch"] = options.Batch.ToString(CultureInfo.InvariantCulture);
        report.Settings["concurrency"] = options.Concurrency.ToString(CultureInfo.InvariantCulture);
        report.Settings["formats"] = options.Csv ? "JSON batch and CSV import, alternately" : "JSON batch";
        report.Settings["projection probe"] = $"a marker case paid every {options.ProbePeriod.TotalMilliseconds:0} ms during the feed, then one after it";

        // First the read side's cost: the same feed on an engine of its own with the relay off, so that the events
        // are stored with the cases (the feed serves them) but nothing carries them to the projection.
        Console.WriteLine("  the same feed with the relay off, for the same-run baseline…");
        await using (var off = await Engine.StartAsync(new Dictionary<string, string> { ["Recouvrement__Events__Relay"] = "false" }))
        {
            using var offHttp = off.Client();
            var offRun = Guid.NewGuid().ToString("N")[..8];
            await ProjectionProbe.PrepareAsync(offHttp, offRun, options.Markers);
            await SendJson(offHttp, Json(offRun + "w", 0, 200, options.DueOn, 2), CancellationToken.None); // warm-up, discarded
            var offBefore = await SiloRuntime.ReadAsync(offHttp);
            var (offStored, offErrors, offElapsed, _) = await FeedAsync(offHttp, options, offRun);
            var offAfter = await SiloRuntime.ReadAsync(offHttp);
            report.Baselines[RelayOff] = offStored / offElapsed.TotalSeconds;
            report.Baselines["silo_cpu_ms_per_case_relay_off"] = (offAfter.CpuSeconds - offBefore.CpuSeconds) * 1000 / offStored;
            report.Errors += offErrors;
        }

        Console.WriteLine("  the feed with the read side on (the default)…");
        await using var engine = await Engine.StartAsync();
        using var http = engine.Client();
        var run = Guid.NewGuid().ToString("N")[..8];
        var probe = await ProjectionProbe.PrepareAsync(http, run, options.Markers);
        await SendJson(http, Json(run + "w", 0, 200, options.DueOn, 2), CancellationToken.None); // warm-up, discarded
        using var feedOver = new CancellationTokenSource();
        var before = await SiloRuntime.ReadAsync(http);
        var probing = probe.RunAsync(options.ProbePeriod, feedOver.Token);
        var (stored, errors, elapsed, latency) = await FeedAsync(http, options, run);
        var after = await SiloRuntime.ReadAsync(http);
        var afterFeed = probe.OnceAsync();
        await feedOver.CancelAsync();
        var lag = await probing;

        report.Figures["durable_cases_per_second"] = stored / elapsed.TotalSeconds;
        report.Figures["cases_stored"] = stored;
        report.Figures["silo_cpu_ms_per_case"] = (after.CpuSeconds - before.CpuSeconds) * 1000 / stored;
        report.Figures["projection_lag_after_feed_ms"] = (await afterFeed).TotalMilliseconds;
        report.Figures["projection_probes_lost"] = probe.Lost;
        report.Latencies["request (one batch or file)"] = latency;
        report.Latencies["projection lag (payment acknowledged → listed paid)"] = lag;
        report.Errors = errors + probe.Failed + probe.Lost + report.Errors;
        report.Notes.Add("projection_lag_after_feed_ms: a marker paid once the feed is answered, so behind every event the feed left to relay and project");
        if (probe.Lost > 0)
        {
            await ExplainLostProbesAsync(report, engine, probe.LostReferences);
        }

        await Baselines.AddAsync(report, engine.ConnectionString, baselineSeconds, options.Concurrency);
        report.Ratio("durable_cases_per_second", RelayOff);
        report.Ratio("durable_cases_per_second", Baselines.PgBench);
        report.Ratio("durable_cases_per_second", Baselines.GrainCalls);
        return report;
    }

    /// <summary>
    /// A probe given up is an event lost or stuck: notes say where its events are (the log, the relay's cursor, the
    /// stream's queues and dead letters), and the silo's log is kept beside the report.
    /// </summary>
    private static async Task ExplainLostProbesAsync(Report report, Engine engine, IReadOnlyList<string> references)
    {
        await using var database = Npgsql.NpgsqlDataSource.Create(engine.ConnectionString);
        async Task<string> One(string sql, params (string Name, object Value)[] parameters)
        {
            await using var command = database.CreateCommand(sql);
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            var rows = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add(string.Join(' ', Enumerable.Range(0, reader.FieldCount).Select(i => $"{reader.GetName(i)}={reader.GetValue(i)}")));
            }

            return string.Join("; ", rows);
        }

        report.Notes.Add("relay cursor: " + await One("SELECT tx::text, position FROM recouvrement_event_cursors"));
        report.Notes.Add("stream queues: " + await One("SELECT queue_id, count(*) AS messages, max(dequeued) AS most_reads FROM orleans_stream_message GROUP BY queue_id"));
        report.Notes.Add("dead letters: " + await One("SELECT count(*) AS n FROM orleans_stream_dead_letter"));
        foreach (var reference in references.Take(5))
        {
            report.Notes.Add($"lost probe {reference}: events " + await One("SELECT type, tx::text, position FROM recouvrement_events WHERE case_reference = @r ORDER BY tx, position", ("r", reference))
                + " | summary " + await One("SELECT status, sequence FROM recouvrement_case_summary WHERE reference = @r", ("r", reference)));
        }

        var kept = Path.Combine(Path.GetTempPath(), $"ingest-silo-{DateTime.UtcNow:yyyyMMdd-HHmmss}.log");
        File.Copy(engine.SiloLog, kept);
        report.Notes.Add("silo log kept at " + kept);
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
