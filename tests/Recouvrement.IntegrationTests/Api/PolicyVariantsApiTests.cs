using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Api;

/// <summary>Champion/challenger through the API: variants set, followed by new debtors' cases, reweighted and promoted.</summary>
public sealed class PolicyVariantsApiTests(EngineHost host) : IClassFixture<EngineHost>
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonNode> Body(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    /// <summary>The champion reminds by e-mail on D+1, the challenger by SMS on D+3; both end on D+40.</summary>
    private static string Variants(int championWeight, int challengerWeight) => $$"""
        { "variants": [
            { "name": "champion", "weight": {{championWeight}}, "escalationThreshold": 40, "steps": [
                { "dayAfterDue": 1, "action": "reminder", "channels": ["email"] },
                { "dayAfterDue": 40, "action": "final_decision", "channels": [] } ] },
            { "name": "sms-d3", "weight": {{challengerWeight}}, "escalationThreshold": 40, "steps": [
                { "dayAfterDue": 3, "action": "reminder", "channels": ["sms"] },
                { "dayAfterDue": 40, "action": "final_decision", "channels": [] } ] } ] }
        """;

    private static readonly Dictionary<string, int> FirstDay = new() { ["champion"] = 1, ["sms-d3"] = 3 };

    /// <summary>A case due in the future, so that its first step waits for its day and tells which schedule it follows.</summary>
    private static async Task<JsonNode> CreateCase(HttpClient creditor, string reference, string debtor)
    {
        var created = await creditor.PostAsJsonAsync("/api/v1/cases", new
        {
            reference, amount = 42.50m, issuedOn = "2030-12-10", dueOn = "2031-01-10",
            debtor = new { reference = debtor, kind = "consumer", name = "Marie Durand", email = "marie@example.org", phone = "+33612345678" },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return await Body(created);
    }

    private static DateTimeOffset FirstStepOf(string variant) =>
        new(2031, 1, 10 + FirstDay[variant], 0, 0, 0, TimeSpan.FromHours(1)); // midnight, Paris

    private async Task<HttpClient> NewCreditor(string name)
    {
        using var operatorApi = host.Client(EngineHost.OperatorKey);
        var created = await Body(await operatorApi.PostAsJsonAsync("/api/v1/admin/creditors", new { name }));
        return host.Client(created["apiKey"]!.GetValue<string>());
    }

    [Fact]
    public async Task New_debtors_follow_their_variant_keep_it_when_the_weights_change_and_all_follow_the_promoted_one()
    {
        using var creditor = await NewCreditor("Laboratoire Variantes");

        // Without variants, the policy reads as it always has: no variants field at all.
        var plain = (await Body(await creditor.GetAsync("/api/v1/policy"))).AsObject();
        Assert.Equal(["steps", "escalationThreshold"], plain.Select(p => p.Key));

        var put = await creditor.PutAsync("/api/v1/policy", Json(Variants(50, 50)));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var stored = await Body(await creditor.GetAsync("/api/v1/policy"));
        Assert.Equal(["champion", "sms-d3"], stored["variants"]!.AsArray().Select(v => v!["name"]!.GetValue<string>()));
        Assert.Equal(1, stored["steps"]![0]!["dayAfterDue"]!.GetValue<int>()); // the champion's schedule is the policy's own

        var halves = DunningPolicy.Default with
        {
            Variants = [new("champion", 50, [], 40), new("sms-d3", 50, [], 40)],
        };
        var debtors = Enumerable.Range(1, 12).Select(i => $"VAR-D{i}").ToList();
        Assert.Equal(2, debtors.Select(halves.AssignVariant).Distinct().Count()); // both variants among these debtors
        foreach (var debtor in debtors)
        {
            var view = await CreateCase(creditor, $"VAR-{debtor}-1", debtor);
            var expected = halves.AssignVariant(debtor)!;
            Assert.Equal(expected, view["variant"]!.GetValue<string>());
            Assert.Equal(FirstStepOf(expected), view["nextStep"]!["at"]!.GetValue<DateTimeOffset>());
        }

        // All new debtors to the challenger: the debtors already met keep theirs for their next cases.
        Assert.Equal(HttpStatusCode.OK, (await creditor.PutAsync("/api/v1/policy", Json(Variants(0, 100)))).StatusCode);
        foreach (var debtor in debtors)
        {
            var second = await CreateCase(creditor, $"VAR-{debtor}-2", debtor);
            Assert.Equal(halves.AssignVariant(debtor), second["variant"]!.GetValue<string>());
        }

        var newcomer = await CreateCase(creditor, "VAR-NEW-1", debtors.First(d => halves.AssignVariant(d) == "champion") + "-NEW");
        Assert.Equal("sms-d3", newcomer["variant"]!.GetValue<string>());
        Assert.Equal("sms-d3", (await Body(await creditor.GetAsync("/api/v1/cases/VAR-NEW-1")))["variant"]!.GetValue<string>());

        var unknown = await creditor.PostAsJsonAsync("/api/v1/policy/promote", new { variant = "nobody" });
        Assert.Equal(HttpStatusCode.Conflict, unknown.StatusCode);

        var promoted = await creditor.PostAsJsonAsync("/api/v1/policy/promote", new { variant = "sms-d3" });
        Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        var policy = await Body(await creditor.GetAsync("/api/v1/policy"));
        Assert.Equal(["sms-d3"], policy["variants"]!.AsArray().Select(v => v!["name"]!.GetValue<string>()));
        Assert.Equal(3, policy["steps"]![0]!["dayAfterDue"]!.GetValue<int>());

        // A champion debtor's case still names its variant; the variant having gone, it follows the policy's own schedule.
        var championCase = $"VAR-{debtors.First(d => halves.AssignVariant(d) == "champion")}-3";
        var third = await CreateCase(creditor, championCase, debtors.First(d => halves.AssignVariant(d) == "champion"));
        Assert.Equal("champion", third["variant"]!.GetValue<string>());
        Assert.Equal(FirstStepOf("sms-d3"), third["nextStep"]!["at"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task Variants_that_cannot_run_are_refused_with_the_field_of_each_fault()
    {
        using var creditor = await NewCreditor("Laboratoire Refus");
        var bad = await creditor.PutAsync("/api/v1/policy", Json("""
            { "variants": [
                { "name": "a b", "weight": 0, "escalationThreshold": 40, "steps": [ { "dayAfterDue": 1, "action": "reminder", "channels": ["email"] } ] },
                { "name": "twin", "weight": -1, "escalationThreshold": 40, "steps": [] },
                { "name": "TWIN", "weight": 0, "escalationThreshold": -5, "steps": [ { "dayAfterDue": 1, "action": "reminder", "channels": ["sms"] } ] } ] }
            """));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(
            ["variants[0].name", "variants[1].weight", "variants[1].steps", "variants[2].name", "variants[2].escalationThreshold", "variants"],
            (await Body(bad))["errors"]!.AsArray().Select(e => e!["field"]!.GetValue<string>()));

        var missing = await creditor.PostAsJsonAsync("/api/v1/policy/promote", new { variant = "" });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }
}
