using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Recouvrement.Tests.Support;
using UglyToad.PdfPig;

namespace Recouvrement.Tests.Console;

/// <summary>
/// Commission statements on PostgreSQL: payments recorded through the API (reported by the creditor) and on the payment
/// page (collected by the agency), a rate changed by the operator in between, read back as JSON, CSV and PDF.
/// </summary>
public sealed class StatementTests(DurableConsoleHost host) : IClassFixture<DurableConsoleHost>
{
    [Fact]
    public async Task A_month_with_known_payments_has_the_expected_lines_commission_and_net_in_json_csv_and_pdf()
    {
        var (creditor, key) = await host.OnboardAsync("Laboratoire Bellecour", commissionRate: 12.5m);
        var (other, otherKey) = await host.OnboardAsync("Laboratoire voisin", commissionRate: 10m);
        using var api = host.Client(key);
        await ApiCases.Create(api, "FAC-1", "PAT-1");
        await ApiCases.Create(api, "FAC-2", "PAT-2");
        using var otherApi = host.Client(otherKey);
        await ApiCases.Create(otherApi, "FAC-1", "PAT-1");

        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/cases/FAC-1/payments", new { amount = 42.50m, reference = "VIR-1" })).StatusCode);
        var card = await host.Grains.GetGrain<ICaseGrain>(GrainKeys.Compose(creditor, "FAC-2"))
            .RecordPayment(new PaymentReceipt("cs_test_1:FAC-2", 20.00m, "EUR", DateOnly.FromDateTime(DateTime.UtcNow), "card", ByAgency: true));
        Assert.Equal(CaseActionOutcome.Applied, card.Outcome);
        Assert.Equal(HttpStatusCode.Created, (await otherApi.PostAsJsonAsync("/api/v1/cases/FAC-1/payments", new { amount = 42.50m, reference = "VIR-9" })).StatusCode);

        using var operatorClient = host.Client(EngineHost.OperatorKey);
        var changed = await operatorClient.PutAsJsonAsync($"/api/v1/admin/creditors/{creditor}", new { commissionRate = 20m });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var profile = JsonNode.Parse(await changed.Content.ReadAsStringAsync())!;
        Assert.Equal(20m, profile["commissionRate"]!.GetValue<decimal>());
        Assert.Equal(2, profile["commissionHistory"]!.AsArray().Count);
        Assert.Equal(HttpStatusCode.BadRequest, (await operatorClient.PutAsJsonAsync($"/api/v1/admin/creditors/{creditor}", new { commissionRate = 100.5m })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/cases/FAC-2/payments", new { amount = 10.01m, reference = "VIR-2" })).StatusCode);

        var month = Calendar.ParisTime.DateOf(DateTimeOffset.UtcNow).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var statement = JsonNode.Parse(await api.GetStringAsync($"/api/v1/statements/{month}"))!;
        Assert.Equal(month, statement["period"]!.GetValue<string>());
        Assert.Equal("Agence Recouvrement Test", statement["agencyName"]!.GetValue<string>());
        var lines = statement["lines"]!.AsArray();
        Assert.Equal(
            [("FAC-1", 42.50m, "creditor", 12.5m, 5.31m), ("FAC-2", 20.00m, "agency", 12.5m, 2.50m), ("FAC-2", 10.01m, "creditor", 20m, 2.00m)],
            lines.Select(l => (l!["caseReference"]!.GetValue<string>(), l["amount"]!.GetValue<decimal>(), l["collectedBy"]!.GetValue<string>(),
                l["commissionRate"]!.GetValue<decimal>(), l["commission"]!.GetValue<decimal>())));
        var totals = Assert.Single(statement["totals"]!.AsArray())!;
        Assert.Equal(72.51m, totals["collected"]!.GetValue<decimal>());
        Assert.Equal(20.00m, totals["collectedByAgency"]!.GetValue<decimal>());
        Assert.Equal(52.51m, totals["reportedByCreditor"]!.GetValue<decimal>());
        Assert.Equal(9.81m, totals["commission"]!.GetValue<decimal>());
        Assert.Equal(10.19m, totals["netToCreditor"]!.GetValue<decimal>());
        Assert.Equal("remit", totals["settlement"]!.GetValue<string>());

        var csv = await api.GetAsync($"/api/v1/statements/{month}?format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var rows = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, rows.Length);
        Assert.EndsWith(";card;agency;20,00;EUR;12,50;2,50;", rows[2], StringComparison.Ordinal);
        Assert.Equal("total;;;;;;72,51;EUR;;9,81;10,19", rows[4]);

        var pdf = await api.GetAsync($"/api/v1/statements/{month}?format=pdf");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        using var document = PdfDocument.Open(await pdf.Content.ReadAsByteArrayAsync());
        var text = string.Join(" ", document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
        Assert.Contains("Agence Recouvrement Test", text);
        Assert.Contains("Bellecour", text);
        Assert.Contains(creditor, text);
        Assert.Contains(month, text);
        Assert.Contains("FAC-2", text);
        Assert.Contains("9,81", text);
        Assert.Contains("10,19", text);

        // The other creditor's statement holds its own payment only, at its own rate.
        var theirs = JsonNode.Parse(await otherApi.GetStringAsync($"/api/v1/statements/{month}"))!;
        var their = Assert.Single(theirs["lines"]!.AsArray())!;
        Assert.Equal((42.50m, 4.25m), (their["amount"]!.GetValue<decimal>(), their["commission"]!.GetValue<decimal>()));
        Assert.Equal(other, theirs["creditorId"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_bad_month_or_format_gets_field_errors_and_a_month_without_payments_is_empty()
    {
        var (_, key) = await host.OnboardAsync("Laboratoire calme");
        using var api = host.Client(key);

        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync("/api/v1/statements/2026-13")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync("/api/v1/statements/2026-11?format=xml")).StatusCode);
        var empty = JsonNode.Parse(await api.GetStringAsync("/api/v1/statements/2020-01"))!;
        Assert.Empty(empty["lines"]!.AsArray());
        Assert.Empty(empty["totals"]!.AsArray());
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client(null).GetAsync("/api/v1/statements/2026-11")).StatusCode);
    }
}
