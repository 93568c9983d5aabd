using System.Globalization;
using Recouvrement.LoadTests.Scenarios;

namespace Recouvrement.LoadTests;

/// <summary>Parses the command line and runs one scenario next to its baseline.</summary>
public static class LoadTestRunner
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.WriteLine("""
                usage: loadtests ingest --url URL --key KEY --pg CONNECTION_STRING [--cases N] [--batch N] [--concurrency N] [--seconds N]
                  ingest   creditors bulk-feed cases over HTTP (batch endpoint) into the PostgreSQL profile;
                           prints durable cases/s next to pgbench single-row commits/s on the same server
                """);
            return args.Length == 0 ? 2 : 0;
        }

        var options = Options(args.Skip(1));
        string Need(string name) => options.TryGetValue(name, out var v) ? v : throw new ArgumentException($"--{name} is required");
        int Int(string name, int fallback) => options.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

        switch (args[0])
        {
            case "ingest":
                var result = await IngestScenario.RunAsync(new Uri(Need("url")), Need("key"), Int("cases", 20_000), Int("batch", 1_000), Int("concurrency", 4));
                var baseline = await PgBenchBaseline.RunAsync(Need("pg"), Int("seconds", 10), Int("concurrency", 4));
                result.Print(baseline);
                return result.Errors == 0 ? 0 : 1;
            default:
                Console.Error.WriteLine($"unknown scenario '{args[0]}'");
                return 2;
        }
    }

    private static Dictionary<string, string> Options(IEnumerable<string> args)
    {
        var list = args.ToList();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < list.Count; i += 2)
        {
            options[list[i].TrimStart('-')] = list[i + 1];
        }

        return options;
    }
}
