using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Recouvrement.LoadTests.Infrastructure;

namespace Recouvrement.LoadTests.Scenarios;

/// <summary>
/// Many open, idle cases in one silo: their first step months away. Measured: the silo's resident memory per case
/// right after the feed (activations still in memory) and after a restart (idle: state and reminders only in
/// PostgreSQL), the silo's start-up time with that many reminders in the table, and the cost of the reminder
/// table's periodic range read.
/// </summary>
public static class ScaleScenario
{
    public sealed record Options(int Cases, int Batch, int Concurrency);

    public static async Task<Report> RunAsync(Options options, int baselineSeconds, string? json)
    {
        await using var engine = await Engine.StartAsync();
        using (var warm = engine.Client())
        {
            await warm.PostAsync("/api/v1/cases/batch", new StringContent(IngestScenario.Json("warm", 0, 100, "2027-06-01", 1), System.Text.Encoding.UTF8, "application/json"));
        }

        await Task.Delay(2000); // let the warm-up settle before the empty reading
        var empty = engine.SiloResidentBytes();
        var report = new Report("scale");
        using (var http = engine.Client())
        {
            var (stored, errors, elapsed, _) = await IngestScenario.FeedAsync(http,
                new IngestScenario.Options(options.Cases, options.Batch, options.Concurrency, Csv: false, Due: "2027-06-01", CasesPerDebtor: 1), "S");
            report.Figures["cases_open"] = stored;
            report.Figures["feed_cases_per_second"] = stored / elapsed.TotalSeconds;
            report.Errors = errors;
        }

        var fed = engine.SiloResidentBytes();
        await engine.StopSiloAsync();
        var startup = await engine.StartSiloAsync();
        using (var http = engine.Client())
        {
            await http.GetAsync("/api/v1/cases/S-0"); // one case touched: the silo is serving
        }

        await Task.Delay(5000); // two reminder refreshes
        var idle = engine.SiloResidentBytes();
        var cases = report.Figures["cases_open"];
        report.Settings["cases"] = options.Cases.ToString(CultureInfo.InvariantCulture);
        report.Settings["first_step"] = "D+1 of 2027-06-01: months away, outside the reminder loading window";
        report.Figures["silo_resident_mb_empty"] = empty / 1048576.0;
        report.Figures["silo_resident_mb_after_feed"] = fed / 1048576.0;
        report.Figures["silo_resident_mb_idle_after_restart"] = idle / 1048576.0;
        report.Figures["bytes_per_case_after_feed"] = (fed - empty) / Math.Max(1, cases);
        report.Figures["bytes_per_idle_case_after_restart"] = Math.Max(0, idle - empty) / Math.Max(1, cases);
        report.Figures["silo_startup_seconds"] = startup.TotalSeconds;
        var (rows, readMs) = await ReminderRead(engine.ConnectionString);
        report.Figures["reminder_rows"] = rows;
        report.Figures["reminder_range_read_ms_third_of_ring"] = readMs;
        report.Notes.Add("target: <= 1.5 KB of silo memory per open, idle case at 1,000,000 cases");
        await Baselines.AddAsync(report, engine.ConnectionString, baselineSeconds, options.Concurrency);
        report.Ratio("feed_cases_per_second", Baselines.PgBench);
        return report;
    }

    /// <summary>Runs the reminder provider's own range query over a third of the ring, as one silo of three does at each refresh.</summary>
    private static async Task<(long Rows, double Milliseconds)> ReminderRead(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        string query;
        await using (var lookup = new NpgsqlCommand("SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'ReadRangeRows1Key'", connection))
        {
            query = (string)(await lookup.ExecuteScalarAsync())!;
        }

        long rows;
        await using (var count = new NpgsqlCommand("SELECT count(*) FROM orleans_reminder", connection))
        {
            rows = (long)(await count.ExecuteScalarAsync())!;
        }

        var best = double.MaxValue;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await using var read = new NpgsqlCommand(query, connection);
            read.Parameters.AddWithValue("ServiceId", "recouvrement");
            read.Parameters.AddWithValue("BeginHash", int.MinValue);
            read.Parameters.AddWithValue("EndHash", int.MinValue + (int)(uint.MaxValue / 3));
            var watch = Stopwatch.StartNew();
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
            }

            best = Math.Min(best, watch.Elapsed.TotalMilliseconds);
        }

        return (rows, best);
    }
}
