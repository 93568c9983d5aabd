using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Integration;

/// <summary>
/// PostgreSQL stopped under a running engine (a silo process and the API tier alone), then started again: requests
/// answer 503 with Retry-After within seconds, every process says it is not ready, and once the database is back
/// nothing acknowledged is lost and nothing refused was taken for done, even across a kill -9 of the silo.
/// </summary>
[Collection(ProcessTests.Name)]
public sealed class PostgresOutageTests
{
    private const string Key = "rk_outage_test_key";
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_payment_refused_while_the_database_is_down_is_applied_when_retried_and_survives_a_kill()
    {
        await using var server = await PostgresServer.StartAsync();
        var outbox = Directory.CreateTempSubdirectory("recouvrement-outage-outbox-").FullName;
        var log = Path.Combine(Path.GetTempPath(), $"recouvrement-outage-{Guid.NewGuid():N}.log");
        var siloPort = FreePort.Next();
        var environment = SiloProcess.WithClusterPorts(SiloProcess.Environment(server.ConnectionString, Key, outbox, 1, "2026-12-01T09:00:00Z"));
        try
        {
            await using (var silo = await SiloProcess.StartAsync(siloPort, environment, log))
            await using (var apiTier = await SiloProcess.StartAsync(FreePort.Next(), environment, log, "Recouvrement.ClientApi.dll"))
            {
                using var api = Client(silo.Address);
                using var viaTier = Client(apiTier.Address);
                await ApiCases.Create(api, "OUT-1", "OUT-D1");
                Assert.Equal(HttpStatusCode.Created, (await Pay(viaTier, "OUT-1", 10m, "VIR-1")).StatusCode);

                await server.HaltAsync();

                foreach (var (client, process) in new[] { (api, "silo"), (viaTier, "API tier") })
                {
                    var watch = Stopwatch.StartNew();
                    var refused = await Pay(client, "OUT-1", 32.50m, "VIR-2");
                    Assert.True(watch.Elapsed < Prompt, $"the {process} answered after {watch.Elapsed} with the database down");
                    Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                    Assert.NotNull(refused.Headers.RetryAfter);
                    Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
                    await Eventually.Get(() => client.GetAsync("/health/ready"), r => r.StatusCode == HttpStatusCode.ServiceUnavailable,
                        TimeSpan.FromSeconds(15), $"the {process}'s readiness to fail with the database down");
                }

                await server.ResumeAsync();
                foreach (var (client, process) in new[] { (api, "silo"), (viaTier, "API tier") })
                {
                    await Eventually.Get(() => client.GetAsync("/health/ready"), r => r.StatusCode == HttpStatusCode.OK,
                        TimeSpan.FromSeconds(60), $"the {process} to be ready again once the database is back");
                }

                // Retried, the refused payment is applied now: it was never taken for done.
                var retried = await Eventually.Get(() => Pay(viaTier, "OUT-1", 32.50m, "VIR-2"), r => r.StatusCode != HttpStatusCode.ServiceUnavailable,
                    TimeSpan.FromSeconds(30), "the retried payment to be answered once the database is back");
                Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
                Assert.Equal("paid", (await retried.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());

                await silo.KillAsync();
            }

            await using var restarted = await SiloProcess.StartAsync(siloPort, environment, log);
            using var after = Client(restarted.Address);
            var view = (await after.GetFromJsonAsync<JsonObject>("/api/v1/cases/OUT-1"))!;
            Assert.Equal("paid", view["status"]!.GetValue<string>());
            Assert.Equal(42.50m, view["paid"]!.GetValue<decimal>());
            Assert.Equal(0m, view["balance"]!.GetValue<decimal>());
        }
        finally
        {
            Directory.Delete(outbox, recursive: true);
        }
    }

    private static Task<HttpResponseMessage> Pay(HttpClient api, string reference, decimal amount, string payment) =>
        api.PostAsJsonAsync($"/api/v1/cases/{reference}/payments", new { amount, reference = payment });

    private static HttpClient Client(Uri address) => new()
    {
        BaseAddress = address,
        Timeout = TimeSpan.FromSeconds(60),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", Key) },
    };
}
