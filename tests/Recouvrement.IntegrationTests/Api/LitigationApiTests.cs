using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Recouvrement.Calendar;
using Recouvrement.Tests.Support;
using UglyToad.PdfPig;

namespace Recouvrement.Tests.Api;

/// <summary>
/// The hand-off over HTTP: a claim escalated by its prescription guard, its dossier, the litigation list and the export
/// that hands it over, its outcome; another creditor sees none of it.
/// </summary>
public sealed class LitigationApiTests(EngineHost host) : IClassFixture<EngineHost>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task An_escalated_case_is_listed_exported_handed_over_and_concluded_and_another_creditor_sees_none_of_it()
    {
        using var api = host.Client();
        using var admin = host.Client(EngineHost.OperatorKey);

        // A consumer claim that prescribes in 30 days: the guard (60 days before) has passed, so the case decides at once.
        var today = ParisTime.DateOf(DateTimeOffset.UtcNow);
        var dueOn = today.AddYears(-2).AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var issuedOn = today.AddYears(-2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var created = await api.PostAsync("/api/v1/cases", Json($$"""
            { "reference": "LIT-6000", "amount": 6000.00, "issuedOn": "{{issuedOn}}", "dueOn": "{{dueOn}}",
              "debtor": { "reference": "LIT-D1", "name": "Jean Martin", "address": { "line1": "1 rue Haute", "postalCode": "69001", "city": "Lyon", "country": "FR" } } }
            """));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var escalated = await Eventually.Get(
            async () => JsonNode.Parse(await api.GetStringAsync("/api/v1/cases/LIT-6000"))!,
            c => (string?)c["status"] == "escalated", Deadline, "the prescription guard escalates the case");
        Assert.Equal("payment_order", (string?)escalated["decision"]!["route"]);
        Assert.Equal(2352.00m, (decimal)escalated["decision"]!["expectedNet"]!); // (6,000 − 120) × 0.40
        Assert.Equal("prescription", (string?)escalated["decision"]!["trigger"]);
        Assert.Equal("ready", (string?)escalated["litigation"]!["status"]);

        var dossier = JsonNode.Parse(await api.GetStringAsync("/api/v1/cases/LIT-6000/dossier?format=json"))!;
        Assert.Equal(("Tribunal judiciaire", 6000.00m), ((string?)dossier["petition"]!["court"], (decimal)dossier["claim"]!["total"]!));
        using (var pdf = PdfDocument.Open(await api.GetByteArrayAsync("/api/v1/cases/LIT-6000/dossier")))
        {
            Assert.Contains("Injonction de payer", string.Join(' ', pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text)), StringComparison.Ordinal);
        }

        var listed = await Eventually.Get(
            async () => JsonNode.Parse(await api.GetStringAsync("/api/v1/litigation?route=payment_order&status=ready"))!["items"]!.AsArray(),
            items => items.Count == 1, Deadline, "the read model lists the escalated case");
        Assert.Equal(("LIT-6000", "/api/v1/cases/LIT-6000/dossier"), ((string?)listed[0]!["reference"], (string?)listed[0]!["dossier"]));
        Assert.Empty(JsonNode.Parse(await api.GetStringAsync("/api/v1/litigation?route=small_claims"))!["items"]!.AsArray());

        // Creditor B: no dossier, nothing listed, nothing exported, no outcome on A's case.
        var onboarded = await (await admin.PostAsync("/api/v1/admin/creditors", Json("""{ "name": "Clinique B" }"""))).Content.ReadFromJsonAsync<JsonNode>();
        using var other = host.Client((string)onboarded!["apiKey"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/api/v1/cases/LIT-6000/dossier")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/api/v1/cases/LIT-6000/dossier?format=json")).StatusCode);
        Assert.Empty(JsonNode.Parse(await other.GetStringAsync("/api/v1/litigation"))!["items"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync("/api/v1/cases/LIT-6000/litigation/outcome", Json("""{ "outcome": "failed" }"""))).StatusCode);
        using (var empty = new ZipArchive(await other.GetStreamAsync("/api/v1/litigation/export")))
        {
            Assert.Equal(["index.csv"], empty.Entries.Select(e => e.FullName));
        }

        // The outcome before the hand-off is refused; the export hands the case over.
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsync("/api/v1/cases/LIT-6000/litigation/outcome", Json("""{ "outcome": "failed" }"""))).StatusCode);
        using (var zip = new ZipArchive(await api.GetStreamAsync("/api/v1/litigation/export")))
        {
            Assert.Equal(["dossiers/LIT-6000.pdf", "index.csv"], zip.Entries.Select(e => e.FullName).Order());
            using var index = new StreamReader(zip.GetEntry("index.csv")!.Open());
            var lines = (await index.ReadToEndAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("reference;debtor_reference;balance;currency;route;expected_net;status;dossier", lines[0]);
            Assert.Equal("LIT-6000;LIT-D1;6000,00;EUR;payment_order;2352,00;handed_over;dossiers/LIT-6000.pdf", lines[1]);
        }

        var handed = JsonNode.Parse(await api.GetStringAsync("/api/v1/cases/LIT-6000"))!;
        Assert.Equal("handed_over", (string?)handed["litigation"]!["status"]);

        // Payments still arrive on a handed-over case.
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("/api/v1/cases/LIT-6000/payments", Json("""{ "amount": 500.00, "reference": "LIT-P1" }"""))).StatusCode);

        var concluded = await api.PostAsync("/api/v1/cases/LIT-6000/litigation/outcome", Json("""{ "outcome": "partially_recovered", "amount": 3000.00, "note": "accord" }"""));
        Assert.Equal(HttpStatusCode.OK, concluded.StatusCode);
        var closed = (await concluded.Content.ReadFromJsonAsync<JsonNode>())!;
        Assert.Equal(("closed", "litigation_partially_recovered", 5500.00m), ((string?)closed["status"], (string?)closed["closedReason"], (decimal)closed["balance"]!));
        Assert.Equal(("concluded", "partially_recovered", 3000.00m), ((string?)closed["litigation"]!["status"], (string?)closed["litigation"]!["outcome"], (decimal)closed["litigation"]!["amount"]!));

        var events = JsonNode.Parse(await api.GetStringAsync("/api/v1/events?types=case.handed_over,case.litigation_outcome"))!["items"]!.AsArray();
        Assert.Equal(["case.handed_over", "case.litigation_outcome"], events.Where(e => (string?)e!["caseReference"] == "LIT-6000").Select(e => (string?)e!["type"]));
    }

    [Fact]
    public async Task The_litigation_settings_are_checked_and_kept()
    {
        using var api = host.Client();
        var bad = await api.PutAsync("/api/v1/settings", Json("""{ "recoveryIndemnity": true, "litigation": { "smallClaims": { "recoveryRate": 1.5 }, "paymentOrder": { "cost": -1 } } }"""));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var fields = JsonNode.Parse(await bad.Content.ReadAsStringAsync())!["errors"]!.AsArray().Select(e => (string?)e!["field"]).Order();
        Assert.Equal(["litigation.paymentOrder.cost", "litigation.smallClaims.recoveryRate"], fields);

        var good = await api.PutAsync("/api/v1/settings", Json("""{ "recoveryIndemnity": true, "litigation": { "smallClaims": { "enabled": false }, "requireApproval": true } }"""));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        var kept = JsonNode.Parse(await api.GetStringAsync("/api/v1/settings"))!["litigation"]!;
        Assert.Equal((false, true), ((bool)kept["smallClaims"]!["enabled"]!, (bool)kept["requireApproval"]!));
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsync("/api/v1/settings", Json("""{ "recoveryIndemnity": false }"""))).StatusCode);
    }
}
