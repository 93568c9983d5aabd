using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Integration;

/// <summary>
/// <c>silo demo</c> as a newcomer runs it: the silo process, embedded, no database and no credentials, on its own fast
/// clock. Within minutes of real time its simulated debtors have been reminded and have paid, asked for a plan and
/// disputed through the debtor page, and the cases nobody answered have been escalated.
/// </summary>
public sealed partial class DemoTests
{
    [Fact]
    public async Task The_demo_feeds_a_portfolio_whose_debtors_pay_ask_for_plans_and_dispute_and_whose_silent_cases_escalate()
    {
        var folder = Directory.CreateTempSubdirectory("recouvrement-demo-").FullName;
        var port = FreePort.Next();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Recouvrement.Silo.dll"), "demo", $"--urls=http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        start.Environment["Recouvrement__Demo__Debtors"] = "600";
        start.Environment["Recouvrement__Cluster__SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Recouvrement__Cluster__GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Whatever the machine has: the demo runs embedded.
        start.Environment["ConnectionStrings__Recouvrement"] = "Host=127.0.0.1;Port=1;Database=none";
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        string Printed() { lock (output) return output.ToString(); }
        try
        {
            var key = await Eventually.Get(() => Task.FromResult(ApiKey().Match(Printed())), m => m.Success || process.HasExited,
                TimeSpan.FromMinutes(2), "the demo to print the creditor's API key once the portfolio is fed");
            Assert.True(key.Success, $"the demo exited with {(process.HasExited ? process.ExitCode : 0)}:\n{Printed()}");
            Assert.Contains("Storage: in memory, not durable", Printed(), StringComparison.Ordinal);
            using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            api.DefaultRequestHeaders.Authorization = new("Bearer", key.Groups[1].Value);

            var outbox = Regex.Match(Printed(), "Messages: (\\S+) ").Groups[1].Value;
            await Eventually.True(() => Directory.Exists(outbox) && Directory.EnumerateFiles(outbox, "msg_*.json").Any(), TimeSpan.FromMinutes(1),
                $"reminders in the demo's outbox {outbox}");
            await Eventually.True(() => Printed().Contains("/p/", StringComparison.Ordinal), TimeSpan.FromMinutes(1), "the demo to print debtor page links");

            // The default schedule escalates at D+37: about 150 s of real time at the demo's speed, plus its lead.
            foreach (var status in new[] { "paid", "payment_plan", "disputed", "escalated" })
            {
                var found = await Eventually.Get(() => api.GetFromJsonAsync<JsonNode>($"/api/v1/cases?status={status}&limit=1")!,
                    list => list?["items"]?.AsArray().Count > 0 || process.HasExited, TimeSpan.FromMinutes(5), $"a {status} case in the demo");
                Assert.False(process.HasExited, Printed());
                Assert.Equal(status, found!["items"]![0]!["status"]!.GetValue<string>());
            }

            Assert.Matches("Demo day +\\d+\\.\\d: [\\d,]+ messages; paid [1-9]", Printed());
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            Directory.Delete(folder, recursive: true);
        }
    }

    [GeneratedRegex("Authorization: Bearer (rk_[A-Za-z0-9_-]+)'")]
    private static partial Regex ApiKey();
}
