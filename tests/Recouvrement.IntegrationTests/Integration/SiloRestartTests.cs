using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Integration;

/// <summary>
/// The durable profile for real: a silo process on PostgreSQL, killed with no warning in the middle of a
/// schedule and started again. The clock runs 21,600 times faster (six hours a second) and both processes share
/// one simulated timeline, so the next day's reminders fall due a few seconds after the restart.
/// </summary>
[Collection(ProcessTests.Name)]
public sealed class SiloRestartTests
{
    private const string Key = "rk_integration_key";
    private const int Cases = 10;

    [Fact]
    public async Task A_killed_silo_restarts_with_every_case_and_the_next_reminders_still_fire_once()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var outbox = Directory.CreateTempSubdirectory("recouvrement-restart-outbox-").FullName;
        var log = Path.Combine(Path.GetTempPath(), $"recouvrement-restart-{database.Name}.log");
        var httpPort = FreePort.Next();
        var environment = SiloProcess.WithClusterPorts(SiloProcess.Environment(database.ConnectionString, Key, outbox, 21600, "2026-11-03T09:00:00Z")); // Tuesday 10:00 in Paris

        try
        {
            await using (var first = await SiloProcess.StartAsync(httpPort, environment, log))
            {
                using var api = Client(first.Address);
                var policy = """{ "steps": [ { "dayAfterDue": 1, "action": "reminder", "channels": ["email"] }, { "dayAfterDue": 2, "action": "reminder", "channels": ["sms"] } ], "escalationThreshold": 40 }""";
                Assert.Equal(HttpStatusCode.OK, (await api.PutAsync("/api/v1/policy", new StringContent(policy, Encoding.UTF8, "application/json"))).StatusCode);
                var batch = Enumerable.Range(1, Cases).Select(i => new
                {
                    reference = $"R-{i}", amount = 30m + i, currency = "EUR", issuedOn = "2026-10-03", dueOn = "2026-11-03",
                    debtor = new { reference = $"D-{i}", kind = "consumer", name = "Marie Durand", email = $"d{i}@example.org", phone = "+33612345678" },
                });
                var created = await (await api.PostAsJsonAsync("/api/v1/cases/batch", batch)).Content.ReadFromJsonAsync<JsonObject>();
                Assert.Equal(Cases, created!["created"]!.GetValue<int>());

                // Wednesday 08:00 in Paris: the first reminder of every case goes out, then the silo dies.
                await Eventually.True(() => Directory.GetFiles(outbox, "*.json").Length == Cases, TimeSpan.FromSeconds(60),
                    $"{Cases} first reminders in the outbox");
                await first.KillAsync();
            }

            await using var second = await SiloProcess.StartAsync(httpPort, environment, log);
            using var again = Client(second.Address);
            for (var i = 1; i <= Cases; i++)
            {
                var view = await again.GetFromJsonAsync<JsonObject>($"/api/v1/cases/R-{i}");
                Assert.Equal(30m + i, view!["amount"]!.GetValue<decimal>());
            }

            // Thursday 08:00: the second reminders fire on the restarted silo.
            await Eventually.True(() => Directory.GetFiles(outbox, "*.json").Length == 2 * Cases, TimeSpan.FromSeconds(90),
                $"{Cases} second reminders after the restart");
            for (var i = 1; i <= Cases; i++)
            {
                var debtor = await Eventually.Get(() => again.GetFromJsonAsync<JsonObject>($"/api/v1/debtors/D-{i}")!,
                    d => d!["contactLog"]!.AsArray().Count >= 2, TimeSpan.FromSeconds(30), $"debtor D-{i} to log two contacts");
                Assert.Equal(["email", "sms"], debtor!["contactLog"]!.AsArray().Select(e => e!["channel"]!.GetValue<string>()));
            }

            // Cases, debtors, the creditor, its keys and the key directory, the operator's directory of creditors, and the one phone
            // number they share (texted, so indexed for STOP replies).
            var stored = await database.CountAsync("SELECT count(*) FROM orleans_grain_state WHERE payload IS NOT NULL");
            Assert.True(Cases * 2 + 5 == stored, $"{stored} grain states: " + await database.ScalarAsync("SELECT string_agg(grain_type, ', ') FROM orleans_grain_state WHERE payload IS NOT NULL AND grain_type NOT IN ('case', 'debtor')"));
        }
        finally
        {
            Directory.Delete(outbox, recursive: true);
        }
    }

    private static HttpClient Client(Uri address) =>
        new() { BaseAddress = address, DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", Key) } };
}
