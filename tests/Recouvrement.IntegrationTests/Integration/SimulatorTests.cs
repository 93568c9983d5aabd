using System.Diagnostics;
using System.Text.Json.Nodes;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Integration;

/// <summary>
/// <c>loadtests simulate</c> as a person runs it: its own PostgreSQL and silo process on a scaled clock, a small
/// population answering through the debtor page, three policies as variants. Run twice with one seed.
/// </summary>
public sealed class SimulatorTests
{
    private static readonly string Root = PostgresServer.RepositoryRoot();

    private static async Task<JsonNode> Simulate(string output)
    {
        var program = Path.Combine(Root, "loadtests", "bin", "Release", "net10.0", "Recouvrement.LoadTests.dll");
        Assert.True(File.Exists(program), $"build the solution first: {program} is missing");
        var policies = new[] { "default", "no-reminders", "more-contacts" }.SelectMany(p => new[] { "--policy", Path.Combine(Root, "loadtests", "simulation", p + ".json") });
        var start = new ProcessStartInfo("dotnet", [program, "simulate", "--debtors", "90", "--days", "30", "--seed", "11", "--speed", "21600", "--baseline-seconds", "0", "--output", output, .. policies])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Root,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(deadline.Token);
        Assert.True(process.ExitCode == 0, $"simulate exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
        return JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "simulation.json")))!;
    }

    /// <summary>
    /// The behaviours that go through provider webhooks and plans: every moved debtor the providers reported shows its
    /// e-mail disabled and its number disabled, every STOP shows SMS opted out, and plans were asked and instalments paid.
    /// </summary>
    private static void AssertFeedbackAndPlans(JsonNode simulation)
    {
        var points = simulation["contactPoints"]!;
        int Figure(string name) => points[name]!.GetValue<int>();
        Assert.True(Figure("bounced") > 0, $"no moved debtor's e-mail bounced: {points}");
        Assert.Equal(Figure("bounced"), Figure("emailDisabled"));
        Assert.True(Figure("invalidNumbers") > 0, $"no moved debtor's number was reported invalid: {points}");
        Assert.Equal(Figure("invalidNumbers"), Figure("smsDisabled"));
        Assert.True(Figure("stopped") > 0, $"nobody replied STOP: {points}");
        Assert.Equal(Figure("stopped"), Figure("smsOptedOut"));
        var requests = simulation["requests"]!.AsObject();
        Assert.True(requests["plan"]?.GetValue<int>() > 0, $"no plan agreed on the debtor page: {requests}");
        Assert.True(requests["instalment"]?.GetValue<int>() > 0, $"no instalment paid: {requests}");
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_figures_and_reminders_recover_more_and_more_contacts_cost_more_within_the_rules()
    {
        var first = Directory.CreateTempSubdirectory("recouvrement-sim-").FullName;
        var second = Directory.CreateTempSubdirectory("recouvrement-sim-").FullName;
        try
        {
            var a = await Simulate(first);
            var b = await Simulate(second);
            AssertFeedbackAndPlans(a);
            AssertFeedbackAndPlans(b);

            Assert.Equal(a["population"]!.ToJsonString(), b["population"]!.ToJsonString());
            Assert.Equal(a["answers"]!.ToJsonString(), b["answers"]!.ToJsonString());
            Assert.Equal(a["variants"]!.ToJsonString(), b["variants"]!.ToJsonString());

            var variants = a["variants"]!.AsArray().ToDictionary(v => v!["name"]!.GetValue<string>(), v => v!);
            Assert.Equal(["default", "more-contacts", "no-reminders"], variants.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(90, variants.Values.Sum(v => v["debtors"]!.GetValue<int>()));
            decimal Rate(string name) => variants[name]["recoveryRate"]!.GetValue<decimal>();
            decimal CostPerDebtor(string name) => variants[name]["cost"]!.GetValue<decimal>() / variants[name]["debtors"]!.GetValue<int>();
            Assert.True(Rate("no-reminders") < Rate("default"), $"no reminders recovered {Rate("no-reminders")}, the default {Rate("default")}");
            Assert.True(CostPerDebtor("more-contacts") > CostPerDebtor("default"), $"more contacts cost {CostPerDebtor("more-contacts")} a debtor, the default {CostPerDebtor("default")}");
            Assert.All(variants.Values, v => Assert.Equal((0, 0, 0), (v["windowViolations"]!.GetValue<int>(), v["gapViolations"]!.GetValue<int>(), v["capViolations"]!.GetValue<int>())));
            Assert.All(variants.Keys, name => Assert.StartsWith("<svg", File.ReadAllText(Path.Combine(first, name + ".svg")), StringComparison.Ordinal));
            var curve = variants["default"]["recoveryByDay"]!.AsArray().Select(d => d!.GetValue<decimal>()).ToList();
            Assert.Equal(31, curve.Count);
            Assert.Equal(curve.Order(), curve); // a share recovered never goes down
            Assert.Equal(Rate("default"), curve[^1]);
            Assert.Equal(a["contactPoints"]!.ToJsonString(), b["contactPoints"]!.ToJsonString());
        }
        finally
        {
            Directory.Delete(first, recursive: true);
            Directory.Delete(second, recursive: true);
        }
    }
}
