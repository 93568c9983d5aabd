using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Recouvrement.Api.Cases;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Api;

/// <summary>
/// Bounded input: amounts, dates, field sizes and CSV widths past their limits are each one item's error, an item
/// whose handling throws is that item's failure, and a Stripe signature header of any shape is a 400, never a 500.
/// </summary>
public sealed class BoundedInputTests(BoundedInputTests.OddHost host) : IClassFixture<BoundedInputTests.OddHost>
{
    /// <summary>The engine, with case grains that throw an unexpected exception on creating a case whose reference starts with <c>ODD-</c>.</summary>
    public sealed class OddHost : EngineHost
    {
        protected override void Customize(WebApplicationBuilder builder) =>
            builder.Services.AddSingleton<IIncomingGrainCallFilter, OddCaseRefusal>();
    }

    /// <summary>A grain that refuses oddly: not a timeout, not an Orleans failure, just an exception nobody expected.</summary>
    private sealed class OddCaseRefusal : IIncomingGrainCallFilter
    {
        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.InterfaceMethod.Name == nameof(ICaseGrain.Create) && context.TargetId.Key.ToString()!.Contains("/ODD-", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("this case grain refuses oddly");
            }

            return context.Invoke();
        }
    }

    private static JsonObject Case(string reference, string debtor = "BND-D") => new()
    {
        ["reference"] = reference, ["amount"] = 42.50m, ["currency"] = "EUR", ["issuedOn"] = "2026-09-12", ["dueOn"] = "2026-10-12",
        ["label"] = "Facture du 12/09/2026",
        ["debtor"] = new JsonObject
        {
            ["reference"] = debtor, ["kind"] = "consumer", ["name"] = "Marie Durand", ["email"] = "marie.durand@example.org",
            ["address"] = new JsonObject { ["line1"] = "3 rue des Lilas", ["postalCode"] = "69003", ["city"] = "Lyon", ["country"] = "FR" },
        },
    };

    private static JsonObject With(JsonObject item, Action<JsonObject> change)
    {
        change(item);
        return item;
    }

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private static ByteArrayContent Csv(string text) => new(Encoding.UTF8.GetBytes(text)) { Headers = { ContentType = new("text/csv") } };

    private static async Task<JsonNode> Body(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private static async Task<List<(string Status, string Fields, string Reasons)>> BatchItems(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        var items = JsonNode.Parse(text)!["items"]!.AsArray();
        Assert.Equal(Enumerable.Range(0, items.Count), items.Select(i => i!["index"]!.GetValue<int>()));
        return [.. items.Select(i => (
            i!["status"]!.GetValue<string>(),
            string.Join(',', i["errors"]!.AsArray().Select(e => e!["field"]!.GetValue<string>())),
            string.Join(" | ", i["errors"]!.AsArray().Select(e => e!["reason"]!.GetValue<string>()))))];
    }

    private static async Task<List<(int Line, string Status, string Fields, string Reasons)>> CsvLines(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return [.. JsonNode.Parse(text)!["results"]!.AsArray().Select(r => (
            r!["line"]!.GetValue<int>(), r["status"]!.GetValue<string>(),
            string.Join(',', r["errors"]!.AsArray().Select(e => e!["field"]!.GetValue<string>())),
            string.Join(" | ", r["errors"]!.AsArray().Select(e => e!["reason"]!.GetValue<string>()))))];
    }

    /// <summary>A text of exactly <paramref name="bytes"/> bytes of UTF-8 that ends in a two-byte letter, so characters and bytes differ.</summary>
    private static string OfBytes(int bytes) => new string('x', bytes - 2) + "é";

    private const string CsvHeader = "reference,amount,currency,issued_on,due_on,label,debtor_reference,debtor_kind,debtor_name,email,phone,address_line1,postal_code,city,country";

    private static string CsvLine(string reference, string amount = "42.50", string dueOn = "2026-10-12") =>
        $"{reference},{amount},EUR,2026-09-12,{dueOn},Facture,BND-CSV,consumer,Marie Durand,marie@example.org,,,,,";

    [Fact]
    public async Task An_amount_of_more_than_9_integer_digits_is_that_item_error_and_the_others_are_stored()
    {
        using var api = host.Client();
        var response = await api.PostAsync("/api/v1/cases/batch", Json(new JsonArray(
            Case("AMT-1"),
            With(Case("AMT-2"), c => c["amount"] = JsonValue.Create(1234567890.00m)),
            With(Case("AMT-3"), c => c["amount"] = new string('9', 40) + ".00"),
            With(Case("AMT-4"), c => c["amount"] = "999999999.99"))));

        var items = await BatchItems(response);
        Assert.Equal(("created", ""), (items[0].Status, items[0].Fields));
        Assert.Equal(("invalid", "amount"), (items[1].Status, items[1].Fields));
        Assert.Contains("at most 9 digits before the decimal point", items[1].Reasons, StringComparison.Ordinal);
        Assert.Equal(("invalid", "amount"), (items[2].Status, items[2].Fields));
        Assert.Contains("at most 9 digits before the decimal point", items[2].Reasons, StringComparison.Ordinal);
        // Nine digits is within the digit limit; the amount ceiling of the engine is what refuses it.
        Assert.Equal(("invalid", "amount"), (items[3].Status, items[3].Fields));
        Assert.DoesNotContain("digits", items[3].Reasons, StringComparison.Ordinal);

        var csv = await api.PostAsync("/api/v1/imports", Csv(string.Join("\n", CsvHeader, CsvLine("AMT-5", amount: "\"1234567890,00\""), CsvLine("AMT-6", amount: new string('1', 35)), CsvLine("AMT-7"))));
        var lines = await CsvLines(csv);
        Assert.Equal([(2, "invalid", "amount"), (3, "invalid", "amount"), (4, "created", "")], lines.Select(l => (l.Line, l.Status, l.Fields)));
        Assert.All(lines.Take(2), l => Assert.Contains("at most 9 digits", l.Reasons, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dates_outside_2000_to_2100_are_that_item_error_and_the_bounds_are_accepted()
    {
        using var api = host.Client();
        var response = await api.PostAsync("/api/v1/cases/batch", Json(new JsonArray(
            With(Case("DAT-1"), c => c["issuedOn"] = "1999-12-31"),
            With(Case("DAT-2"), c => c["dueOn"] = "2101-01-01"),
            With(Case("DAT-3"), c => c["dueOn"] = "9999-12-31"),
            With(With(Case("DAT-4"), c => c["issuedOn"] = "2000-01-01"), c => c["dueOn"] = "2100-12-31"))));

        var items = await BatchItems(response);
        Assert.Equal(
            [("invalid", "issuedOn"), ("invalid", "dueOn"), ("invalid", "dueOn"), ("created", "")],
            items.Select(i => (i.Status, i.Fields)));
        Assert.All(items.Take(3), i => Assert.Contains("between 2000-01-01 and 2100-12-31", i.Reasons, StringComparison.Ordinal));

        var csv = await api.PostAsync("/api/v1/imports", Csv(string.Join("\r\n", CsvHeader, CsvLine("DAT-5", dueOn: "01/01/2101"), CsvLine("DAT-6"))));
        Assert.Equal([(2, "invalid", "due_on"), (3, "created", "")], (await CsvLines(csv)).Select(l => (l.Line, l.Status, l.Fields)));
    }

    [Fact]
    public async Task A_field_over_4096_bytes_is_named_in_json_and_in_csv()
    {
        using var api = host.Client();
        var response = await api.PostAsync("/api/v1/cases/batch", Json(new JsonArray(
            With(Case("BIG-1"), c => c["notes"] = OfBytes(4097)),
            With(Case("BIG-2"), c => c["notes"] = OfBytes(4096)),
            With(Case("BIG-3"), c => c["debtor"]!["name"] = OfBytes(4097)),
            With(Case("BIG-4"), c => c["extra"] = new JsonObject { ["tags"] = new JsonArray("a", OfBytes(5000)) }))));

        var items = await BatchItems(response);
        Assert.Equal(
            [("invalid", "notes"), ("created", ""), ("invalid", "debtor.name"), ("invalid", "extra.tags[1]")],
            items.Select(i => (i.Status, i.Fields)));
        Assert.All(items.Where(i => i.Status == "invalid"), i => Assert.Contains("4096 bytes", i.Reasons, StringComparison.Ordinal));

        var single = await api.PostAsync("/api/v1/cases", Json(With(Case("BIG-5"), c => c["label"] = OfBytes(4097))));
        Assert.Equal(HttpStatusCode.BadRequest, single.StatusCode);
        Assert.Equal("label", (await Body(single))["errors"]![0]!["field"]!.GetValue<string>());

        var csv = await api.PostAsync("/api/v1/imports", Csv(string.Join("\n",
            CsvHeader + ",notes",
            CsvLine("BIG-6") + "," + OfBytes(4097),
            CsvLine("BIG-7") + ",\"" + OfBytes(4096) + "\"",
            CsvLine("BIG-8") + ",short")));
        var lines = await CsvLines(csv);
        Assert.Equal([(2, "invalid", "notes"), (3, "created", ""), (4, "created", "")], lines.Select(l => (l.Line, l.Status, l.Fields)));
        Assert.Contains("4096 bytes", lines[0].Reasons, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_csv_header_of_65_columns_is_refused_and_a_line_of_65_cells_is_that_line_error()
    {
        using var api = host.Client();
        var wide = CsvHeader + string.Concat(Enumerable.Range(1, 50).Select(i => $",extra_{i}"));
        var refused = await api.PostAsync("/api/v1/imports", Csv(wide + "\n" + CsvLine("COL-1") + new string(',', 50)));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        Assert.Contains("at most 64 columns", (await Body(refused))["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var lines = await CsvLines(await api.PostAsync("/api/v1/imports", Csv(string.Join("\n",
            CsvHeader, CsvLine("COL-2") + new string(',', 50), CsvLine("COL-3") + new string(',', 100_000), CsvLine("COL-4")))));
        Assert.Equal([(2, "invalid", "line"), (3, "invalid", "line"), (4, "created", "")], lines.Select(l => (l.Line, l.Status, l.Fields)));
        Assert.Contains("at most 64", lines[0].Reasons, StringComparison.Ordinal);
        Assert.Contains("at most 64", lines[1].Reasons, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_quoted_cell_left_open_is_that_line_error_and_the_next_lines_are_read()
    {
        using var api = host.Client();
        var lines = await CsvLines(await api.PostAsync("/api/v1/imports", Csv(string.Join("\n",
            CsvHeader, CsvLine("OPN-1"), CsvLine("\"OPN-2"), CsvLine("OPN-3"), CsvLine("OPN-4")))));
        Assert.Equal([(2, "created", ""), (3, "invalid", "line"), (4, "created", ""), (5, "created", "")], lines.Select(l => (l.Line, l.Status, l.Fields)));
        Assert.Contains("quote", lines[1].Reasons, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_item_whose_handling_throws_is_that_item_failure_and_the_others_are_stored()
    {
        using var api = host.Client();
        var response = await api.PostAsync("/api/v1/cases/batch", Json(new JsonArray(Case("THR-1"), Case("ODD-1"), Case("THR-2"))));
        var items = await BatchItems(response);
        Assert.Equal(["created", "failed", "created"], items.Select(i => i.Status));
        Assert.Contains("unexpected", items[1].Reasons, StringComparison.Ordinal);
        Assert.Equal(1, (await Body(await api.PostAsync("/api/v1/cases/batch", Json(new JsonArray(Case("ODD-2"))))))["failed"]!.GetValue<int>());

        var lines = await CsvLines(await api.PostAsync("/api/v1/imports", Csv(string.Join("\n", CsvHeader, CsvLine("ODD-3"), CsvLine("THR-3")))));
        Assert.Equal([(2, "failed"), (3, "created")], lines.Select(l => (l.Line, l.Status)));

        var single = await api.PostAsync("/api/v1/cases", Json(Case("ODD-4")));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, single.StatusCode);
        Assert.Equal("application/problem+json", single.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/cases/THR-3")).StatusCode);
    }

    private async Task<HttpResponseMessage> Stripe(string payload, string signature)
    {
        using var client = host.Client(key: null);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/stripe") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        return await client.SendAsync(request);
    }

    private static string Signed(string payload, long t)
    {
        var stamp = t.ToString(CultureInfo.InvariantCulture);
        var v1 = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(EngineHost.StripeWebhookSecret), Encoding.UTF8.GetBytes($"{stamp}.{payload}")));
        return $"t={stamp},v1={v1}";
    }

    [Theory]
    [InlineData("t=99999999999999999999,v1=00")]
    [InlineData("t=9999999999999,v1=00")]
    [InlineData("t=253402300800,v1=00")]
    [InlineData("t=-5,v1=00")]
    [InlineData("t=abc,v1=00")]
    [InlineData("t=1765000000")]
    [InlineData("t=,v1=")]
    [InlineData("=,=,,,")]
    public async Task A_stripe_signature_of_any_shape_is_a_400_problem(string signature)
    {
        var response = await Stripe("{}", signature);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task A_huge_stripe_signature_header_is_a_400_problem()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = $"t={now}," + string.Join(',', Enumerable.Repeat("v1=" + new string('a', 64), 200));
        var response = await Stripe("{}", header);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task A_signed_stripe_body_that_is_not_an_event_is_answered_without_a_500()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var notJson = await Stripe("not json", Signed("not json", now));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal("application/problem+json", notJson.Content.Headers.ContentType!.MediaType);

        const string oddTypes = """{"type":42,"created":99999999999999,"data":{"object":{"id":7,"payment_status":["paid"],"metadata":{"debtor":1,"cases":{}}}}}""";
        Assert.Equal(HttpStatusCode.OK, (await Stripe(oddTypes, Signed(oddTypes, now))).StatusCode);
        const string oddSession = """{"type":"checkout.session.completed","created":99999999999999,"data":{"object":{"id":7,"payment_status":"paid","metadata":{"debtor":1,"cases":{}}}}}""";
        Assert.Equal(HttpStatusCode.OK, (await Stripe(oddSession, Signed(oddSession, now))).StatusCode);
    }

    [Fact]
    public async Task A_batch_body_near_its_32_MB_limit_is_read_whole_and_one_byte_more_is_a_413()
    {
        using var api = host.Client();
        var items = new JsonArray(Case("BND-BIG-1", "BND-BIG-D"), Case("BND-BIG-2", "BND-BIG-D")).ToJsonString();

        // Whitespace is valid JSON padding: the server's own 30 MB default would refuse this body before the endpoint saw it.
        var near = new string(' ', (int)CasesApi.BatchBodyLimit - items.Length) + items;
        using var accepted = await api.PostAsync("/api/v1/cases/batch", new StringContent(near, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(2, (await Body(accepted))["created"]!.GetValue<int>());

        // Refused on its Content-Length, before a byte of it is read: a client that waits for "100 Continue" gets the 413.
        using var tooLarge = new HttpRequestMessage(HttpMethod.Post, "/api/v1/cases/batch")
        {
            Content = new StringContent(" " + near, Encoding.UTF8, "application/json"),
            Headers = { ExpectContinue = true },
        };
        using var over = await api.SendAsync(tooLarge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, over.StatusCode);
    }
}
