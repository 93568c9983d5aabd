using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Recouvrement.Silo.Hosting;
using Recouvrement.Tests.Integration;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Hosting;

/// <summary>
/// A start that reads: the real silo process, as <c>dotnet run --project silo</c> starts it (embedded, no logging
/// settings), ends its output with the engine's banner, with no framework information line anywhere; and the
/// frameworks' levels are defaults the operator's configuration still overrides.
/// </summary>
[Collection(ProcessTests.Name)]
public sealed class StartupBannerTests
{
    private static readonly string[] QuietPrefixes =
        ["info: Orleans", "info: Polly", "info: System.Net.Http", "info: Microsoft.AspNetCore", "info: Microsoft.Hosting.Lifetime"];

    [Fact]
    public async Task The_embedded_start_ends_with_the_banner_and_prints_no_framework_information_line()
    {
        var outbox = "outbox-" + Guid.NewGuid().ToString("N")[..8];
        var (output, port) = await RunSiloAsync(outbox, environment: [], async (silo, lines) =>
        {
            // The keys printed are the ones that work: the demo creditor's on its API, the operator's on the dashboard.
            using var api = new HttpClient { BaseAddress = silo.Address };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Value(lines, "  Demo creditor 'demo' API key: "));
            Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/cases/NO-SUCH-CASE")).StatusCode);
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("anyone:" + Value(lines, "  Operator key (Recouvrement:OperatorKey): ")));
            using var dashboard = new HttpRequestMessage(HttpMethod.Get, "/dashboard/") { Headers = { Authorization = new AuthenticationHeaderValue("Basic", basic) } };
            Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(dashboard)).StatusCode);
        });

        var banner = output.FindIndex(line => line.StartsWith("Recouvrement is running on ", StringComparison.Ordinal));
        Assert.True(banner > 0, "no banner in:\n" + string.Join('\n', output));
        var tail = output.GetRange(banner, output.Count - banner);
        Assert.Equal($"Recouvrement is running on http://127.0.0.1:{port}", tail[0]);
        Assert.Contains("  Storage: in memory, not durable (embedded mode)", tail);
        Assert.Contains(tail, line => line.StartsWith("  Operator key (Recouvrement:OperatorKey): op_", StringComparison.Ordinal));
        Assert.Contains(tail, line => line.StartsWith("  Demo creditor 'demo' API key: rk_", StringComparison.Ordinal));
        Assert.Contains($"  E-mail and SMS: the outbox folder {Path.Combine(AppContext.BaseDirectory, outbox)}, one JSON file per message", tail);
        Assert.Contains($"  Letters: PDF files in {Path.Combine(AppContext.BaseDirectory, "outbox", "letters")}", tail);
        Assert.Contains($"  Dashboard: http://127.0.0.1:{port}/dashboard (sign in with any user name and the operator key as password)", tail);
        Assert.Contains(tail, line => line.StartsWith("  Warning: Recouvrement:Agency:Name and Address are not set", StringComparison.Ordinal));
        Assert.Equal("Press Ctrl+C to stop.", tail[^1]);
        Assert.Contains(output.GetRange(0, banner), line => line.Contains("NOTHING IS DURABLE", StringComparison.Ordinal));

        var noise = output.Where(line => QuietPrefixes.Any(prefix => line.StartsWith(prefix, StringComparison.Ordinal))).ToList();
        Assert.True(noise.Count == 0, $"{noise.Count} framework information lines, the first ones:\n{string.Join('\n', noise.Take(5))}");
    }

    [Fact]
    public async Task Logging__LogLevel__Orleans_brings_the_Orleans_information_lines_back()
    {
        var (output, _) = await RunSiloAsync("outbox", environment: new() { ["Logging__LogLevel__Orleans"] = "Information" }, (_, _) => Task.CompletedTask);

        Assert.Contains(output, line => line.StartsWith("info: Orleans.", StringComparison.Ordinal));
        Assert.DoesNotContain(output, line => line.StartsWith("info: Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Orleans.Runtime.Silo", "Orleans")]
    [InlineData("Orleans.Dashboard.Implementation.SiloGrainService", "Orleans")]
    [InlineData("Polly", "Polly")]
    [InlineData("System.Net.Http.HttpClient.twilio.LogicalHandler", "System.Net.Http")]
    [InlineData("Microsoft.AspNetCore.Hosting.Diagnostics", "Microsoft.AspNetCore")]
    [InlineData("Microsoft.Hosting.Lifetime", "Microsoft.Hosting.Lifetime")]
    public async Task A_framework_category_starts_at_warning_and_the_command_line_overrides_it(string category, string setting)
    {
        Assert.False(await InformationEnabled(category, []));
        Assert.True(await InformationEnabled(category, [$"--Logging:LogLevel:{setting}=Information"]));
        Assert.True(await InformationEnabled("Recouvrement.Silo.Hosting.StartupBanner", []));
    }

    private static async Task<bool> InformationEnabled(string category, string[] args)
    {
        await using var app = SiloHost.Build(args);
        return app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(category).IsEnabled(LogLevel.Information);
    }

    private static string Value(IEnumerable<string> lines, string prefix) =>
        lines.Single(line => line.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..];

    /// <summary>
    /// Starts the silo process embedded, with nothing but ports, an outbox folder (relative, as a person would give it)
    /// and <paramref name="environment"/>; waits for the banner's last line, runs <paramref name="use"/>, stops it
    /// gracefully and returns everything it printed.
    /// </summary>
    private static async Task<(List<string> Output, int Port)> RunSiloAsync(string outbox, Dictionary<string, string> environment, Func<SiloProcess, IReadOnlyList<string>, Task> use)
    {
        var log = Path.Combine(Path.GetTempPath(), $"recouvrement-banner-{Guid.NewGuid():N}.log");
        var port = FreePort.Next();
        try
        {
            var settings = SiloProcess.WithClusterPorts(new Dictionary<string, string>(environment) { ["Recouvrement__Outbox__Path"] = outbox });
            await using (var silo = await SiloProcess.StartAsync(port, settings, log))
            {
                await Eventually.True(() => Lines(log).Contains("Press Ctrl+C to stop."), TimeSpan.FromSeconds(30), $"the banner's last line in {log}");
                await use(silo, Lines(log));
                Assert.Equal(0, await silo.StopGracefullyAsync(TimeSpan.FromSeconds(30)));
            }

            return (Lines(log), port);
        }
        finally
        {
            File.Delete(log);
        }
    }

    private static List<string> Lines(string log)
    {
        using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return [.. reader.ReadToEnd().Split('\n', StringSplitOptions.None).Select(line => line.TrimEnd('\r')).SkipLast(1)];
    }
}
