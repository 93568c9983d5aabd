namespace Recouvrement.LoadTests.Infrastructure;

/// <summary>The two baselines every run measures on the same machine, right after its scenario.</summary>
public static class Baselines
{
    public const string PgBench = "pgbench_single_row_commits_per_second";
    public const string GrainCalls = "bare_grain_calls_per_second";

    public static async Task AddAsync(Report report, string connectionString, int seconds, int concurrency)
    {
        Console.WriteLine("  baselines: pgbench, then a bare grain call loop…");
        report.Baselines[PgBench] = await PgBenchBaseline.RunAsync(connectionString, seconds, concurrency);
        report.Baselines[GrainCalls] = await GrainCallBaseline.RunAsync(TimeSpan.FromSeconds(seconds), concurrency);
    }
}
