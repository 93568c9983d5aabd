using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Integration;

/// <summary>
/// The bulk intake on a real silo process and PostgreSQL: new cases of new debtors are written in one
/// transaction straight into the providers' tables, everything else goes through the grains, and nobody can
/// tell the two apart afterwards — the API reads both, and their reminders fire from the table.
/// </summary>
[Collection(ProcessTests.Name)]
public sealed class BulkIntakeTests
{
    private const string Key = "rk_bulk_key";

    [Fact]
    public async Task New_debtors_go_in_bulk_the_rest_through_grains_and_every_case_is_read_and_reminded_alike()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var outbox = Directory.CreateTempSubdirectory("recouvrement-bulk-outbox-").FullName;
        var log = Path.Combine(Path.GetTempPath(), $"recouvrement-bulk-{database.Name}.log");
        var environment = SiloProcess.WithClusterPorts(SiloProcess.Environment(database.ConnectionString, Key, outbox, 21600, "2026-11-03T09:00:00Z")); // Tuesday 10:00 in Paris
        environment["Recouvrement__Metrics__CensusSeconds"] = "1";
        environment["Logging__LogLevel__Recouvrement.Cases.CaseIntakeGrain"] = "Information";

        try
        {
            await using var silo = await SiloProcess.StartAsync(FreePort.Next(), environment, log);
            using var api = new HttpClient { BaseAddress = silo.Address, DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", Key) } };
            var policy = """{ "steps": [ { "dayAfterDue": 1, "action": "reminder", "channels": ["email"] } ], "escalationThreshold": 40 }""";
            Assert.Equal(HttpStatusCode.OK, (await api.PutAsync("/api/v1/policy", new StringContent(policy, Encoding.UTF8, "application/json"))).StatusCode);

            // Asked for before they exist: both grains are now active with an empty state.
            Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/cases/B-1")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/debtors/D-B")).StatusCode);

            var first = await Post(api, [Case("A-1", "D-A", 31m)]);
            Assert.Equal(1, first["created"]!.GetValue<int>());

            var second = await Post(api,
            [
                Case("B-1", "D-B", 42.5m),             // new debtor, first step days away: bulk
                Case("B-2", "D-B", 18m),               // same new debtor: bulk, in the same debtor row
                Case("A-2", "D-A", 25m),               // the debtor exists: its grain attaches the case
                Case("C-1", "D-C", 60m, "2026-10-01"), // long overdue, first step due at once: bulk, its reminder set a little ahead
                Case("A-1", "D-A", 31m),               // already there, same content
                Case("B-1", "D-B", 99m),               // same reference again in this batch, other content
            ]);
            Assert.Equal(4, second["created"]!.GetValue<int>());
            Assert.Equal(1, second["duplicate"]!.GetValue<int>());
            Assert.Equal(1, second["conflict"]!.GetValue<int>());
            Assert.Equal(["created", "created", "created", "created", "duplicate", "conflict"],
                second["items"]!.AsArray().Select(i => i!["status"]!.GetValue<string>()));

            // Counted by status from storage: the cases written in bulk and those written by their grains alike.
            using var scraper = new HttpClient { BaseAddress = silo.Address };
            await Eventually.Get(() => Census(scraper), c => c.GetValueOrDefault("active") == 5 && c.Values.Sum() == 5, TimeSpan.FromSeconds(30), "five active cases in the census");

            var lines = await File.ReadAllLinesAsync(log);
            Assert.Contains(lines, l => l.Contains("stored 1 of 1 cases", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains("stored 3 of 5 cases", StringComparison.Ordinal));

            // The stale empty activations read again and see what the bulk intake wrote.
            var b1 = await api.GetFromJsonAsync<JsonObject>("/api/v1/cases/B-1");
            Assert.Equal(42.5m, b1!["amount"]!.GetValue<decimal>());
            Assert.Equal("active", b1["status"]!.GetValue<string>());
            Assert.Equal(DateTimeOffset.Parse("2026-11-06T23:00:00Z", System.Globalization.CultureInfo.InvariantCulture), b1["nextStep"]!["at"]!.GetValue<DateTimeOffset>());
            var debtorB = await api.GetFromJsonAsync<JsonObject>("/api/v1/debtors/D-B");
            Assert.Equal(["B-1", "B-2"], debtorB!["openCases"]!.AsArray().Select(c => c!.GetValue<string>()));
            var debtorA = await api.GetFromJsonAsync<JsonObject>("/api/v1/debtors/D-A");
            Assert.Equal(["A-1", "A-2"], debtorA!["openCases"]!.AsArray().Select(c => c!.GetValue<string>()));

            // One reminder row per case, whichever way it was written.
            Assert.Equal(5, await database.CountAsync("SELECT count(*) FROM orleans_reminder WHERE reminder_name = 'next-step'"));

            // Monday 9 November, 08:00 in Paris: one e-mail per debtor naming all of its cases, fired from the table.
            foreach (var (debtor, cases) in new[] { ("D-A", 2), ("D-B", 2), ("D-C", 1) })
            {
                var view = await Eventually.Get(() => api.GetFromJsonAsync<JsonObject>($"/api/v1/debtors/{debtor}")!,
                    d => d!["contactLog"]!.AsArray().Any(e => e!["channel"]!.GetValue<string>() == "email"), TimeSpan.FromSeconds(90), $"debtor {debtor} to be reminded");
                var entry = view!["contactLog"]!.AsArray().Single(e => e!["channel"]!.GetValue<string>() == "email")!;
                Assert.Equal(cases, entry["cases"]!.AsArray().Count);
            }

            Assert.Equal(1, (await api.GetFromJsonAsync<JsonObject>("/api/v1/cases/B-2"))!["stage"]!.GetValue<int>());

            // Each change of status moves its case in the census: paid, held, cancelled.
            Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/cases/A-1/payments", new { amount = 31m, reference = "VIR-CENSUS" })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await api.PostAsync("/api/v1/cases/B-1/hold", null)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync("/api/v1/cases/C-1/cancel", new { reason = "billing error" })).StatusCode);
            var census = await Eventually.Get(() => Census(scraper), c => c.GetValueOrDefault("active") == 2, TimeSpan.FromSeconds(30), "the census to see the three changes");
            Assert.Equal(1, census["paid"]);
            Assert.Equal(1, census["on_hold"]);
            Assert.Equal(1, census["closed"]);
            Assert.Equal(0, census["disputed"]); // every status is published, those with no case at zero
            Assert.Equal(5, census.Values.Sum());
        }
        finally
        {
            Directory.Delete(outbox, recursive: true);
        }
    }

    [Fact]
    public async Task Overdue_cases_fed_in_an_open_window_get_their_first_message_as_soon_in_a_batch_as_one_by_one()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var outbox = Directory.CreateTempSubdirectory("recouvrement-bulk-outbox-").FullName;
        var log = Path.Combine(Path.GetTempPath(), $"recouvrement-bulk-{database.Name}.log");

        // Tuesday 10:00 in Paris, a minute a second: the reminder service reads its table every 5 engine minutes and
        // loads 10 ahead, so a row written straight into it is surely seen only 15 minutes on.
        const int speed = 60;
        var start = DateTimeOffset.Parse("2026-11-03T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var anchor = DateTimeOffset.UtcNow;
        var consolidation = TimeSpan.FromMinutes(5);
        var environment = SiloProcess.WithClusterPorts(SiloProcess.Environment(database.ConnectionString, Key, outbox, speed, start.ToString("O"), anchor));
        environment["Recouvrement__Contact__ConsolidationDelay"] = consolidation.ToString();
        environment["Logging__LogLevel__Recouvrement.Cases.CaseIntakeGrain"] = "Information";
        DateTimeOffset EngineNow() => start + ((DateTimeOffset.UtcNow - anchor) * speed);

        try
        {
            await using var silo = await SiloProcess.StartAsync(FreePort.Next(), environment, log);
            using var api = new HttpClient { BaseAddress = silo.Address, DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", Key) } };
            var policy = """{ "steps": [ { "dayAfterDue": 1, "action": "reminder", "channels": ["email"] } ], "escalationThreshold": 40 }""";
            Assert.Equal(HttpStatusCode.OK, (await api.PutAsync("/api/v1/policy", new StringContent(policy, Encoding.UTF8, "application/json"))).StatusCode);

            // The same input twice, a month overdue: two cases of a new debtor in one batch, and two fed one by one
            // (the first, of a new debtor, goes in bulk too; the second, its debtor existing, through its grain).
            var fedInBatch = EngineNow();
            var batch = await Post(api, [Case("BATCH-1", "D-BATCH", 42.5m, "2026-10-01"), Case("BATCH-2", "D-BATCH", 18m, "2026-10-01")]);
            Assert.Equal(2, batch["created"]!.GetValue<int>());
            var fedOneByOne = EngineNow();
            foreach (var single in new[] { Case("ONE-1", "D-ONE", 42.5m, "2026-10-01"), Case("ONE-2", "D-ONE", 18m, "2026-10-01") })
            {
                Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/cases", single)).StatusCode);
            }

            var lines = await File.ReadAllLinesAsync(log);
            Assert.Contains(lines, l => l.Contains("stored 2 of 2 cases", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains("stored 1 of 1 cases", StringComparison.Ordinal));

            // Each debtor's first e-mail goes once its consolidation delay has run, naming both of its cases, however fed.
            var batchMessage = await FirstEmail(api, "D-BATCH");
            var singleMessage = await FirstEmail(api, "D-ONE");
            var afterBatch = batchMessage.SentAt - fedInBatch;
            var afterSingles = singleMessage.SentAt - fedOneByOne;
            Assert.True((afterBatch - afterSingles).Duration() <= consolidation,
                $"first e-mail {afterBatch} after the batch, {afterSingles} after the single cases: a batch must be scheduled as single cases are");
            Assert.True(afterBatch < TimeSpan.FromMinutes(15), $"first e-mail {afterBatch} after the batch: its first step was due at once");
            Assert.Equal(["BATCH-1", "BATCH-2"], batchMessage.Cases.Order(StringComparer.Ordinal));
            Assert.Equal(["ONE-1", "ONE-2"], singleMessage.Cases.Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(outbox, recursive: true);
        }
    }

    /// <summary>When a debtor's first e-mail was sent (engine time) and the cases it named.</summary>
    private static async Task<(DateTimeOffset SentAt, string[] Cases)> FirstEmail(HttpClient api, string debtor)
    {
        var view = await Eventually.Get(() => api.GetFromJsonAsync<JsonObject>($"/api/v1/debtors/{debtor}")!,
            d => d!["contactLog"]!.AsArray().Any(e => e!["channel"]!.GetValue<string>() == "email"), TimeSpan.FromSeconds(90), $"debtor {debtor}'s first e-mail");
        var entry = view!["contactLog"]!.AsArray().First(e => e!["channel"]!.GetValue<string>() == "email")!;
        return (entry["sentAt"]!.GetValue<DateTimeOffset>(), [.. entry["cases"]!.AsArray().Select(c => c!.GetValue<string>())]);
    }

    private static object Case(string reference, string debtor, decimal amount, string dueOn = "2026-11-06") => new
    {
        reference, amount, currency = "EUR", issuedOn = "2026-09-01", dueOn,
        debtor = new { reference = debtor, kind = "consumer", name = "Marie Durand", email = $"{debtor.ToLowerInvariant()}@example.org" },
    };

    /// <summary>The <c>recouvrement_cases</c> gauge from the silo's Prometheus scrape, by status; empty before its first count.</summary>
    private static async Task<Counts> Census(HttpClient scraper)
    {
        var text = await scraper.GetStringAsync("/metrics");
        var census = new Counts();
        foreach (var line in text.Split('\n').Where(l => l.StartsWith("recouvrement_cases{", StringComparison.Ordinal)))
        {
            var status = System.Text.RegularExpressions.Regex.Match(line, "status=\"([a-z_]+)\"").Groups[1].Value;
            census[status] = long.Parse(line[(line.IndexOf('}', StringComparison.Ordinal) + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }

        return census;
    }

    private sealed class Counts() : Dictionary<string, long>(StringComparer.Ordinal)
    {
        public override string ToString() => string.Join(", ", this.Select(c => $"{c.Key}={c.Value}"));
    }

    private static async Task<JsonObject> Post(HttpClient api, object[] batch)
    {
        var response = await api.PostAsJsonAsync("/api/v1/cases/batch", batch);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
