using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Api;

public sealed class CasesApiTests(EngineHost host) : IClassFixture<EngineHost>
{
    private static string CaseJson(string reference, string amount = "42.50", string debtor = "PAT-88121", string dueOn = "2026-10-12") => $$"""
        { "reference": "{{reference}}", "amount": {{amount}}, "currency": "EUR", "issuedOn": "2026-09-12", "dueOn": "{{dueOn}}",
          "label": "Facture du 12/09/2026",
          "debtor": { "reference": "{{debtor}}", "kind": "consumer", "name": "Marie Durand", "email": "marie.durand@example.org",
                      "phone": "06 12 34 56 78", "address": { "line1": "3 rue des Lilas", "postalCode": "69003", "city": "Lyon", "country": "FR" } } }
        """;

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonNode> Body(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    [Fact]
    public async Task Creating_a_case_then_the_same_again_is_a_duplicate_and_other_content_a_conflict()
    {
        using var api = host.Client();
        var created = await api.PostAsync("/api/v1/cases", Json(CaseJson("DUP-1")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/v1/cases/DUP-1", created.Headers.Location!.OriginalString);
        var view = await Body(created);
        Assert.Equal("active", view["status"]!.GetValue<string>());
        Assert.Equal(42.50m, view["balance"]!.GetValue<decimal>());

        var again = await api.PostAsync("/api/v1/cases", Json(CaseJson("DUP-1")));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        var conflict = await api.PostAsync("/api/v1/cases", Json(CaseJson("DUP-1", amount: "43.00")));
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("application/problem+json", conflict.Content.Headers.ContentType!.MediaType);

        var stored = await Body(await api.GetAsync("/api/v1/cases/DUP-1"));
        Assert.Equal(42.50m, stored["amount"]!.GetValue<decimal>());
        Assert.Equal("created", stored["history"]![0]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_bad_case_gets_each_field_error_and_never_a_500()
    {
        using var api = host.Client();
        var response = await api.PostAsync("/api/v1/cases", Json("""
            { "reference": "bad ref!", "amount": -3, "issuedOn": "2026-13-01", "dueOn": "12/10/2026",
              "debtor": { "reference": "P1", "kind": "martian", "email": "nope", "phone": "call me" } }
            """));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Body(response))["errors"]!.AsArray().Select(e => e!["field"]!.GetValue<string>()).ToList();
        Assert.Equal(["reference", "amount", "issuedOn", "debtor.kind", "debtor.name", "debtor.email", "debtor.phone"], errors);

        var notJson = await api.PostAsync("/api/v1/cases", Json("{ \"reference\": "));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Contains("not valid JSON", (await Body(notJson))["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var tooBig = await api.PostAsync("/api/v1/cases", Json(new string(' ', 70_000) + CaseJson("BIG-1")));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
    }

    [Fact]
    public async Task A_batch_of_10000_cases_is_stored_and_every_item_accounted_for()
    {
        using var api = host.Client();
        var items = Enumerable.Range(0, 10_000).Select(i => i switch
        {
            17 => CaseJson("B-17", amount: "\"12,5x\""),
            4242 => CaseJson("B-4242", dueOn: "2026-02-30"),
            9999 => CaseJson("B-0001"), // same reference and content as item 1
            _ => CaseJson($"B-{i:D4}", debtor: $"D-{i % 3000}"),
        });
        var response = await api.PostAsync("/api/v1/cases/batch", Json("[" + string.Join(',', items) + "]"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await Body(response);
        Assert.Equal(10_000, result["received"]!.GetValue<int>());
        Assert.Equal(9_997, result["created"]!.GetValue<int>());
        Assert.Equal(2, result["invalid"]!.GetValue<int>());
        Assert.Equal(0, result["failed"]!.GetValue<int>());
        var list = result["items"]!.AsArray();
        Assert.Equal(10_000, list.Count);
        Assert.Equal(("invalid", "amount"), (list[17]!["status"]!.GetValue<string>(), list[17]!["errors"]![0]!["field"]!.GetValue<string>()));
        Assert.Equal(("invalid", "dueOn"), (list[4242]!["status"]!.GetValue<string>(), list[4242]!["errors"]![0]!["field"]!.GetValue<string>()));
        Assert.Equal(4242, list[4242]!["index"]!.GetValue<int>());

        // Item 9999 carries B-0001 with another debtor than item 1 (D-1), so it is a conflict, not a duplicate.
        Assert.Equal("conflict", list[9999]!["status"]!.GetValue<string>());
        Assert.Equal(1, result["conflict"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/cases/B-9998")).StatusCode);
    }

    [Fact]
    public async Task More_than_10000_cases_in_one_batch_is_413()
    {
        using var api = host.Client();
        var response = await api.PostAsync("/api/v1/cases/batch", Json("[" + string.Join(',', Enumerable.Repeat("{}", 10_001)) + "]"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_csv_with_broken_lines_reports_each_line_and_keeps_the_good_ones()
    {
        using var api = host.Client();
        var csv = new MemoryStream();
        void Line(string text) => csv.Write(Encoding.UTF8.GetBytes(text + "\r\n"));
        Line("reference;amount;currency;issued_on;due_on;label;debtor_reference;debtor_kind;debtor_name;email;phone;address_line1;postal_code;city;country;colour");
        Line("CSV-1;42,50;EUR;2026-09-12;2026-10-12;Facture;PAT-1;consumer;Marie Durand;marie@example.org;0612345678;3 rue des Lilas;69003;Lyon;FR;blue");
        Line("CSV-2;douze;EUR;2026-09-12;2026-10-12;Facture;PAT-2;consumer;Jean Martin;jean@example.org;;;;;;");
        Line(";15,00;EUR;2026-09-12;2026-10-12;Facture;PAT-3;consumer;Lea Petit;lea@example.org;;;;;;");
        Line("CSV-4;15,00;EUR;2026-09-12;31/02/2026;Facture;PAT-4;consumer;Paul Roux;paul@example.org;;;;;;");
        Line("CSV-5;15,00;EUR;2026-09-12;2026-10-12;Facture;PAT-5;consumer;Anne Blanc;anne@example.org;;;;;;;extra");
        csv.Write(Encoding.Latin1.GetBytes("CSV-6;15,00;EUR;2026-09-12;2026-10-12;Facture;PAT-6;consumer;Hélène Côté;helene@example.org;;;;;;\r\n"));
        Line("\"CSV-7\";\"1 234,00\";EUR;12/09/2026;12/10/2026;\"Facture; acompte\";PAT-7;business;\"SARL \"\"Les Pins\"\"\";compta@pins.example;;;;;;");
        Line("CSV-8;80.00;EUR;12/09/2026;12/10/2026;Facture;PAT-1;particulier;Marie Durand;marie@example.org;+33612345678;;;;;");

        var response = await api.PostAsync("/api/v1/imports", new ByteArrayContent(csv.ToArray()) { Headers = { ContentType = new("text/csv") } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await Body(response);
        var lines = result["results"]!.AsArray().Select(r => (
            r!["line"]!.GetValue<int>(), r["status"]!.GetValue<string>(),
            string.Join(',', r["errors"]!.AsArray().Select(e => e!["field"]!.GetValue<string>())))).ToList();
        Assert.Equal(
        [
            (2, "created", ""),
            (3, "invalid", "amount"),
            (4, "invalid", "reference"),
            (5, "invalid", "due_on"),
            (6, "invalid", "line"),
            (7, "invalid", "line"),
            (8, "invalid", "amount"),
            (9, "created", ""),
        ], lines);
        Assert.Equal(";", result["delimiter"]!.GetValue<string>());
        Assert.Equal("colour", result["warnings"]![0]!["field"]!.GetValue<string>());
        Assert.Contains("UTF-8", result["results"]![5]!["errors"]![0]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);

        var debtor = await Body(await api.GetAsync("/api/v1/debtors/PAT-1"));
        Assert.Equal(["CSV-1", "CSV-8"], debtor["openCases"]!.AsArray().Select(c => c!.GetValue<string>()).Order());
        Assert.Equal("+33612345678", debtor["contactPoints"]!.AsArray().Single(p => p!["channel"]!.GetValue<string>() == "sms")!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_csv_without_required_columns_is_refused_whole()
    {
        using var api = host.Client();
        var response = await api.PostAsync("/api/v1/imports", new StringContent("reference,amount\nX-1,12.00\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var fields = (await Body(response))["errors"]!.AsArray().Select(e => e!["field"]!.GetValue<string>());
        Assert.Equal(["issued_on", "due_on", "debtor_reference", "debtor_name"], fields);
    }

    [Fact]
    public async Task Creditor_B_cannot_see_creditor_A_cases_or_debtors()
    {
        using var operatorClient = host.Client(EngineHost.OperatorKey);
        var onboarded = await operatorClient.PostAsJsonAsync("/api/v1/admin/creditors", new { id = "labo-b", name = "Laboratoire B" });
        Assert.Equal(HttpStatusCode.Created, onboarded.StatusCode);
        var keyB = (await Body(onboarded))["apiKey"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.Conflict, (await operatorClient.PostAsJsonAsync("/api/v1/admin/creditors", new { id = "labo-b", name = "Again" })).StatusCode);

        using var creditorA = host.Client();
        Assert.Equal(HttpStatusCode.Created, (await creditorA.PostAsync("/api/v1/cases", Json(CaseJson("TEN-1", debtor: "TEN-D")))).StatusCode);

        using var creditorB = host.Client(keyB);
        Assert.Equal(HttpStatusCode.NotFound, (await creditorB.GetAsync("/api/v1/cases/TEN-1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await creditorB.GetAsync("/api/v1/debtors/TEN-D")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await creditorB.PostAsync("/api/v1/cases/TEN-1/hold", null)).StatusCode);

        // B's own case with the same reference is a different case.
        Assert.Equal(HttpStatusCode.Created, (await creditorB.PostAsync("/api/v1/cases", Json(CaseJson("TEN-1", amount: "15.00")))).StatusCode);
        Assert.Equal(42.50m, (await Body(await creditorA.GetAsync("/api/v1/cases/TEN-1")))["amount"]!.GetValue<decimal>());

        using var nobody = host.Client("rk_not_a_key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await nobody.GetAsync("/api/v1/cases/TEN-1")).StatusCode);
        using var notOperator = host.Client(keyB);
        Assert.Equal(HttpStatusCode.Unauthorized, (await notOperator.PostAsJsonAsync("/api/v1/admin/creditors", new { name = "X" })).StatusCode);
    }

    [Fact]
    public async Task Payments_hold_and_cancel_through_the_api()
    {
        using var api = host.Client();
        await api.PostAsync("/api/v1/cases", Json(CaseJson("PAY-1", debtor: "PAY-D")));
        var partial = await api.PostAsJsonAsync("/api/v1/cases/PAY-1/payments", new { amount = 20.00m, reference = "VIR-1" });
        Assert.Equal(HttpStatusCode.Created, partial.StatusCode);
        Assert.Equal(22.50m, (await Body(partial))["balance"]!.GetValue<decimal>());
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync("/api/v1/cases/PAY-1/payments", new { amount = 20.00m, reference = "VIR-1" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsJsonAsync("/api/v1/cases/PAY-1/payments", new { amount = 0, reference = "" })).StatusCode);

        Assert.Equal("on_hold", (await Body(await api.PostAsync("/api/v1/cases/PAY-1/hold", null)))["status"]!.GetValue<string>());
        Assert.Equal("active", (await Body(await api.PostAsync("/api/v1/cases/PAY-1/resume", null)))["status"]!.GetValue<string>());
        var paid = await Body(await api.PostAsJsonAsync("/api/v1/cases/PAY-1/payments", new { amount = 22.50m, reference = "VIR-2" }));
        Assert.Equal("paid", paid["status"]!.GetValue<string>());
        var cancel = await api.PostAsJsonAsync("/api/v1/cases/PAY-1/cancel", new { reason = "x" });
        Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync("/api/v1/cases/NOPE/hold", null)).StatusCode);
    }

    [Fact]
    public async Task The_policy_can_be_replaced_and_a_bad_one_is_refused()
    {
        using var api = host.Client(EngineHost.OperatorKey);
        var created = await Body(await api.PostAsJsonAsync("/api/v1/admin/creditors", new { name = "Clinique du Parc" }));
        Assert.Equal("clinique-du-parc", created["id"]!.GetValue<string>());
        using var creditor = host.Client(created["apiKey"]!.GetValue<string>());
        var policy = JsonSerializer.Serialize(new
        {
            steps = new object[]
            {
                new { dayAfterDue = 3, action = "reminder", channels = new[] { "sms" } },
                new { dayAfterDue = 20, action = "formal_notice", channels = new[] { "letter" } },
                new { dayAfterDue = 40, action = "final_decision", channels = Array.Empty<string>() },
            },
            escalationThreshold = 60,
        });
        var put = await creditor.PutAsync("/api/v1/policy", Json(policy));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(3, (await Body(await creditor.GetAsync("/api/v1/policy")))["steps"]!.AsArray().Count);

        var bad = await creditor.PutAsync("/api/v1/policy", Json("""{ "steps": [ { "dayAfterDue": 5, "action": "final_decision", "channels": [] }, { "dayAfterDue": 2, "action": "reminder", "channels": [] } ], "escalationThreshold": 10 }"""));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var fields = (await Body(bad))["errors"]!.AsArray().Select(e => e!["field"]!.GetValue<string>());
        Assert.Equal(["steps[0].action", "steps[1].dayAfterDue", "steps[1].channels"], fields);

        // Due in the future, so that its first step (the new policy's D+3 reminder) waits for its day.
        await creditor.PostAsync("/api/v1/cases", Json(CaseJson("POL-1", debtor: "POL-D", dueOn: "2031-01-10")));
        var next = (await Body(await creditor.GetAsync("/api/v1/cases/POL-1")))["nextStep"]!;
        Assert.Equal("reminder", next["action"]!.GetValue<string>());
        Assert.Equal(new DateTimeOffset(2031, 1, 13, 0, 0, 0, TimeSpan.FromHours(1)), next["at"]!.GetValue<DateTimeOffset>()); // midnight, Paris
    }
}
