using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Api;

/// <summary>Every error names its field and why; money is written with two decimals; intake refuses what cannot be collected.</summary>
public sealed class FieldErrorTests(EngineHost host) : IClassFixture<EngineHost>
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<IReadOnlyList<(string Field, string Reason)>> Errors(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return [.. body["errors"]!.AsArray().Select(e => (e!["field"]!.GetValue<string>(), e["reason"]!.GetValue<string>()))];
    }

    [Theory]
    [InlineData("/api/v1/cases/{0}/payments", """{ "amount": "abc", "reference": "VIR-1" }""", "amount", "expected a number")]
    [InlineData("/api/v1/cases/{0}/payments", """{ "amount": 10, "reference": "VIR-1", "receivedOn": "2026-13-45" }""", "receivedOn", "expected a date, YYYY-MM-DD")]
    [InlineData("/api/v1/cases/{0}/payments", """{ "amount": 10, "reference": 12 }""", "reference", "expected a string")]
    [InlineData("/api/v1/cases/{0}/payments", """{ "amount": 10, "amount": 12, "reference": "VIR-1" }""", "amount", "this key appears more than once in its object: send it once")]
    public async Task A_type_error_in_a_payment_names_the_field_and_what_it_takes(string path, string body, string field, string reason)
    {
        using var api = host.Client();
        var reference = "FE-" + Guid.NewGuid().ToString("N")[..8];
        await ApiCases.Create(api, reference, "FE-D-" + reference);
        Assert.Equal([(field, reason)], await Errors(await api.PostAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, path, reference), Json(body))));
    }

    [Fact]
    public async Task Type_errors_in_the_policy_and_the_settings_name_the_field_deep_in_the_body()
    {
        using var api = host.Client();
        Assert.Equal([("steps[1].dayAfterDue", "expected a whole number")], await Errors(await api.PutAsync("/api/v1/policy",
            Json("""{ "steps": [ { "dayAfterDue": 1, "action": "reminder", "channels": ["email"] }, { "dayAfterDue": "soon", "action": "reminder", "channels": ["sms"] } ], "escalationThreshold": 40 }"""))));
        Assert.Equal([("steps[0].action", "expected one of: reminder, formal_notice, final_decision")], await Errors(await api.PutAsync("/api/v1/policy",
            Json("""{ "steps": [ { "dayAfterDue": 1, "action": "phone_call", "channels": ["email"] } ], "escalationThreshold": 40 }"""))));
        Assert.Equal([("lateInterestRate", "expected a number")], await Errors(await api.PutAsync("/api/v1/settings",
            Json("""{ "recoveryIndemnity": true, "lateInterestRate": "twelve" }"""))));
    }

    [Fact]
    public async Task A_key_sent_twice_in_a_case_is_refused_by_name()
    {
        using var api = host.Client();
        var response = await api.PostAsync("/api/v1/cases", Json("""
            { "reference": "DUP-1", "amount": 42.50, "amount": 4250, "issuedOn": "2026-10-01", "dueOn": "2026-11-01",
              "debtor": { "reference": "DUP-D1", "kind": "consumer", "name": "Marie Durand", "email": "marie@example.org" } }
            """));
        Assert.Equal([("amount", "this key appears more than once in its object: send it once")], await Errors(response));
    }

    [Fact]
    public async Task A_wrong_content_type_is_told_which_one_the_endpoint_takes()
    {
        using var api = host.Client();
        var response = await api.PutAsync("/api/v1/policy", new StringContent("steps=1", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var detail = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>();
        Assert.Contains("application/json", detail, StringComparison.Ordinal);
        Assert.Contains("application/x-www-form-urlencoded", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Money_is_written_with_two_decimals_whatever_form_it_came_in()
    {
        using var api = host.Client();
        var created = await api.PostAsync("/api/v1/cases", Json("""
            { "reference": "TWO-1", "amount": 42.5, "issuedOn": "2026-10-01", "dueOn": "2026-11-01",
              "debtor": { "reference": "TWO-D1", "kind": "consumer", "name": "Marie Durand", "email": "marie@example.org" } }
            """));
        var text = await created.Content.ReadAsStringAsync();
        Assert.Contains("\"amount\":42.50", text, StringComparison.Ordinal);
        Assert.Contains("\"paid\":0.00", text, StringComparison.Ordinal);
        Assert.Contains("\"balance\":42.50", text, StringComparison.Ordinal);
        var paid = await (await api.PostAsJsonAsync("/api/v1/cases/TWO-1/payments", new { amount = 2, reference = "VIR-TWO" })).Content.ReadAsStringAsync();
        Assert.Contains("\"balance\":40.50", paid, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_claim_already_prescribed_when_fed_is_refused_two_years_for_a_consumer_five_otherwise()
    {
        using var api = host.Client();
        // The host runs on the real clock: three years ago is prescribed for a consumer, not for a business.
        var threeYearsAgo = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        object Case(string reference, string kind) => new
        {
            reference, amount = 42.50m, issuedOn = threeYearsAgo, dueOn = threeYearsAgo,
            debtor = new { reference = "PRE-D-" + reference, kind, name = "Marie Durand", email = "marie@example.org" },
        };

        Assert.Equal([("dueOn", "prescribed")], await Errors(await api.PostAsJsonAsync("/api/v1/cases", Case("PRE-1", "consumer"))));
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/cases", Case("PRE-2", "business"))).StatusCode);

        var batch = JsonNode.Parse(await (await api.PostAsJsonAsync("/api/v1/cases/batch", new[] { Case("PRE-3", "consumer") })).Content.ReadAsStringAsync())!;
        var item = batch["items"]![0]!;
        Assert.Equal(("invalid", "dueOn", "prescribed"), (item["status"]!.GetValue<string>(), item["errors"]![0]!["field"]!.GetValue<string>(), item["errors"]![0]!["reason"]!.GetValue<string>()));

        var csv = $"reference,amount,issued_on,due_on,debtor_reference,debtor_name,email\nPRE-4,42.50,{threeYearsAgo},{threeYearsAgo},PRE-D4,Marie Durand,marie@example.org\n";
        var import = JsonNode.Parse(await (await api.PostAsync("/api/v1/imports", new StringContent(csv, Encoding.UTF8, "text/csv"))).Content.ReadAsStringAsync())!;
        Assert.Equal(("due_on", "prescribed"), (import["results"]![0]!["errors"]![0]!["field"]!.GetValue<string>(), import["results"]![0]!["errors"]![0]!["reason"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_payment_dated_in_the_future_or_before_the_invoice_is_refused_and_an_overpayment_is_recorded()
    {
        using var api = host.Client();
        await ApiCases.Create(api, "PAYD-1", "PAYD-D1"); // issued 2026-09-12, 42.50 EUR
        var tomorrow = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var future = await Errors(await api.PostAsJsonAsync("/api/v1/cases/PAYD-1/payments", new { amount = 10m, reference = "VIR-F", receivedOn = tomorrow }));
        Assert.Equal("receivedOn", Assert.Single(future).Field);
        var early = await Errors(await api.PostAsJsonAsync("/api/v1/cases/PAYD-1/payments", new { amount = 10m, reference = "VIR-E", receivedOn = "2026-09-11" }));
        Assert.Equal(("receivedOn", "before the invoice was issued (2026-09-12)"), Assert.Single(early));

        var over = await api.PostAsJsonAsync("/api/v1/cases/PAYD-1/payments", new { amount = 50m, reference = "VIR-O", receivedOn = "2026-11-20" });
        Assert.Equal(HttpStatusCode.Created, over.StatusCode);
        var view = JsonNode.Parse(await over.Content.ReadAsStringAsync())!;
        Assert.Equal(("paid", 50m, 0m), (view["status"]!.GetValue<string>(), view["paid"]!.GetValue<decimal>(), view["balance"]!.GetValue<decimal>()));
        Assert.Contains(view["history"]!.AsArray(), e => e!["kind"]!.GetValue<string>() == "overpayment" && e["detail"]!.GetValue<string>() == "7.50 EUR");
    }
}
