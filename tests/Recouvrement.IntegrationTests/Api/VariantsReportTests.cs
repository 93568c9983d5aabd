using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Api;

/// <summary>
/// The variants report as a creditor reads it, on PostgreSQL at real speed from a Tuesday 10:00 (inside the send
/// window): new debtors fed in one batch are shared between an e-mail-first and an SMS-first variant, each gets its
/// first message at once, two cases are paid, and the report counts each message at the creditor's own costs.
/// </summary>
public sealed class VariantsReportTests(VariantsReportTests.Host host) : IClassFixture<VariantsReportTests.Host>
{
    public sealed class Host : EngineHost
    {
        private PostgresDatabase? _database;

        protected override IEnumerable<string> ExtraArgs =>
        [
            .. DurableArgs(_database!.ConnectionString),
            "--Recouvrement:Clock:Start=2026-12-01T10:00:00+01:00",
            "--Recouvrement:Contact:ConsolidationDelay=00:00:02",
        ];

        public override async Task InitializeAsync()
        {
            _database = await PostgresDatabase.CreateAsync();
            await base.InitializeAsync();
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            await _database!.DisposeAsync();
        }
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonNode> Body(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private static readonly DunningPolicy Halves = DunningPolicy.Default with
    {
        Variants = [new("email-first", 50, [], 40), new("sms-first", 50, [], 40)],
    };

    [Fact]
    public async Task Each_variant_s_messages_are_counted_once_at_the_creditor_s_costs_beside_its_payments()
    {
        using var api = host.Client();
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsync("/api/v1/policy", Json("""
            { "variants": [
                { "name": "email-first", "weight": 50, "escalationThreshold": 40, "steps": [
                    { "dayAfterDue": 1, "action": "reminder", "channels": ["email"] },
                    { "dayAfterDue": 40, "action": "final_decision", "channels": [] } ] },
                { "name": "sms-first", "weight": 50, "escalationThreshold": 40, "steps": [
                    { "dayAfterDue": 1, "action": "reminder", "channels": ["sms"] },
                    { "dayAfterDue": 40, "action": "final_decision", "channels": [] } ] } ] }
            """))).StatusCode);
        var settings = await api.PutAsync("/api/v1/settings", Json("""
            { "recoveryIndemnity": false, "costs": { "email": 0.01, "sms": 0.10, "letter": 2.00, "registeredLetter": 7.00 } }
            """));
        Assert.Equal(HttpStatusCode.OK, settings.StatusCode);
        Assert.Equal(0.10m, (await Body(await api.GetAsync("/api/v1/settings")))["costs"]!["sms"]!.GetValue<decimal>());
        var badCost = await api.PutAsync("/api/v1/settings", Json("""{ "recoveryIndemnity": false, "costs": { "email": -1, "sms": 0, "letter": 0, "registeredLetter": 0 } }"""));
        Assert.Equal("costs.email", (await Body(badCost))["errors"]![0]!["field"]!.GetValue<string>());

        // Overdue since 20 November: the D+1 step of either variant is due at once.
        var debtors = Enumerable.Range(1, 10).Select(i => $"REP-D{i}").ToList();
        var batch = await api.PostAsJsonAsync("/api/v1/cases/batch", debtors.Select((d, i) => new
        {
            reference = $"REP-{i + 1}", amount = 50.00m, issuedOn = "2026-10-20", dueOn = "2026-11-20",
            debtor = new { reference = d, kind = "consumer", name = "Marie Durand", email = $"rep{i}@example.org", phone = $"+336123456{i:D2}" },
        }));
        Assert.Equal(10, (await Body(batch))["created"]!.GetValue<int>());
        var byVariant = debtors.GroupBy(d => Halves.AssignVariant(d)!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(2, byVariant.Count);
        Assert.Equal(Halves.AssignVariant("REP-D1"), (await Body(await api.GetAsync("/api/v1/cases/REP-1")))["variant"]!.GetValue<string>());

        await Eventually.Get(() => Task.FromResult(Directory.GetFiles(host.OutboxFolder, "msg_*.json").Length), n => n >= 10, TimeSpan.FromSeconds(60),
            "the first message of each of the ten debtors to reach the outbox");
        foreach (var paid in new[] { "REP-1", "REP-2" })
        {
            Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync($"/api/v1/cases/{paid}/payments", new { amount = 50.00m, reference = $"VIR-{paid}" })).StatusCode);
        }

        var report = await Eventually.Get(
            async () => await Body(await api.GetAsync("/api/v1/reports/variants")),
            r => r["variants"]!.AsArray().Sum(v => v!["messages"]!["total"]!.GetValue<int>()) == 10
                && r["variants"]!.AsArray().Sum(v => v!["paidCases"]!.GetValue<int>()) == 2,
            TimeSpan.FromSeconds(30), "ten messages and two paid cases in the report");

        Assert.Equal("email-first", report["champion"]!.GetValue<string>());
        var variants = report["variants"]!.AsArray().ToDictionary(v => v!["variant"]!.GetValue<string>(), v => v!);
        Assert.Equal(["email-first", "sms-first"], report["variants"]!.AsArray().Select(v => v!["variant"]!.GetValue<string>()));
        Assert.True(variants["email-first"]["champion"]!.GetValue<bool>());
        foreach (var (name, count) in byVariant)
        {
            var v = variants[name];
            var email = name == "email-first" ? count : 0;
            var sms = name == "sms-first" ? count : 0;
            Assert.Equal((count, count, 50.00m * count), (v["debtors"]!.GetValue<int>(), v["cases"]!.GetValue<int>(), v["amount"]!.GetValue<decimal>()));
            Assert.Equal((email, sms, 0, 0), (v["messages"]!["email"]!.GetValue<int>(), v["messages"]!["sms"]!.GetValue<int>(),
                v["messages"]!["letter"]!.GetValue<int>(), v["messages"]!["registeredLetter"]!.GetValue<int>()));
            Assert.Equal(email * 0.01m + sms * 0.10m, v["cost"]!.GetValue<decimal>());
            var paid = new[] { "REP-D1", "REP-D2" }.Count(d => Halves.AssignVariant(d) == name);
            Assert.Equal((paid, 50.00m * paid), (v["paidCases"]!.GetValue<int>(), v["recovered"]!.GetValue<decimal>()));
        }

        Assert.Null(variants["email-first"]["pValue"]);
        Assert.NotNull(variants["sms-first"]["pValue"]);
    }
}
