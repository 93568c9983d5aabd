using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Recouvrement.Api.Payments;
using Recouvrement.Payments;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Api;

/// <summary>Stripe: Checkout sessions as Stripe.net sends them, and the signed webhook recorded once however often it comes.</summary>
public sealed class StripeTests(EngineHost host) : IClassFixture<EngineHost>
{
    private static string Sign(string payload, DateTimeOffset at, string secret = EngineHost.StripeWebhookSecret)
    {
        var t = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var v1 = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{payload}")));
        return $"t={t},v1={v1}";
    }

    private static string Completed(string session, string debtor, string cases) => $$$"""
        {"id":"evt_{{{session}}}","object":"event","api_version":"2025-09-30.clover","created":{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}},"type":"checkout.session.completed","livemode":false,
         "data":{"object":{"id":"{{{session}}}","object":"checkout.session","mode":"payment","payment_status":"paid","status":"complete","currency":"eur","amount_total":4250,
         "payment_intent":"pi_{{{session}}}","metadata":{"debtor":"{{{debtor}}}","cases":"{{{cases}}}"} } } }
        """;

    private async Task<HttpResponseMessage> Deliver(string payload, string signature)
    {
        using var client = host.Client(key: null);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/stripe") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.Add("Stripe-Signature", signature);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task A_paid_session_delivered_three_times_is_one_payment()
    {
        using var api = host.Client();
        await ApiCases.Create(api, "STR-1", "PAT-STR");
        await ApiCases.Create(api, "STR-2", "PAT-STR");
        var payload = Completed("cs_test_a1", $"{EngineHost.DemoCreditor}/PAT-STR", "STR-1:4250;STR-2:1000");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Deliver(payload, Sign(payload, DateTimeOffset.UtcNow))).StatusCode);
        }

        var paid = await api.GetFromJsonAsync<JsonObject>("/api/v1/cases/STR-1");
        Assert.Equal("paid", paid!["status"]!.GetValue<string>());
        Assert.Single(paid["history"]!.AsArray(), e => e!["kind"]!.GetValue<string>() == "payment_received");
        var partial = await api.GetFromJsonAsync<JsonObject>("/api/v1/cases/STR-2");
        Assert.Equal((32.50m, "active"), (partial!["balance"]!.GetValue<decimal>(), partial["status"]!.GetValue<string>())); // a partial payment keeps the case open

        // Paid on the payment page: the agency collected it, as the commission statement says.
        var month = Calendar.ParisTime.DateOf(DateTimeOffset.UtcNow).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var statement = await api.GetFromJsonAsync<JsonObject>($"/api/v1/statements/{month}");
        var lines = statement!["lines"]!.AsArray().Where(l => l!["caseReference"]!.GetValue<string>().StartsWith("STR-", StringComparison.Ordinal)).ToList();
        Assert.Equal([("STR-1", 42.50m, "card", "agency"), ("STR-2", 10.00m, "card", "agency")],
            lines.Select(l => (l!["caseReference"]!.GetValue<string>(), l["amount"]!.GetValue<decimal>(), l["method"]!.GetValue<string>(), l["collectedBy"]!.GetValue<string>()))
                .OrderBy(l => l.Item1, StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_bad_or_stale_signature_is_rejected_and_records_nothing()
    {
        using var api = host.Client();
        await ApiCases.Create(api, "STR-3", "PAT-STR3");
        var payload = Completed("cs_test_b2", $"{EngineHost.DemoCreditor}/PAT-STR3", "STR-3:4250");
        Assert.Equal(HttpStatusCode.BadRequest, (await Deliver(payload, Sign(payload, DateTimeOffset.UtcNow, secret: "whsec_someone_else"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Deliver(payload, Sign(payload, DateTimeOffset.UtcNow.AddMinutes(-10)))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Deliver(payload.Replace("4250", "9999", StringComparison.Ordinal), Sign(payload, DateTimeOffset.UtcNow))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Deliver(payload, "t=123")).StatusCode);

        var view = await api.GetFromJsonAsync<JsonObject>("/api/v1/cases/STR-3");
        Assert.Equal(0m, view!["paid"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task A_checkout_session_is_created_as_stripe_expects()
    {
        await using var stripe = await FakeProviders.StartAsync();
        using var http = new HttpClient();
        var provider = new StripePaymentProvider(http, Options.Create(new StripeOptions { SecretKey = "sk_test_123", ApiBase = stripe.BaseAddress.ToString().TrimEnd('/') }));
        var url = await provider.StartCheckoutAsync(new CheckoutRequest("demo/PAT-1", [new CheckoutItem("FAC-1", 42.50m), new CheckoutItem("FAC-2", 10m)], "EUR",
            "https://pay.example.fr/p/tok?done=paid", "https://pay.example.fr/p/tok?done=cancelled"), CancellationToken.None);

        Assert.Equal("https://checkout.stripe.com/c/pay/cs_test_000001", url);
        var request = Assert.Single(stripe.Stripe);
        Assert.Equal("Bearer sk_test_123", request.Authorization);
        var form = request.Form;
        Assert.Equal("payment", form["mode"]);
        Assert.Equal("4250", form["line_items[0][price_data][unit_amount]"]);
        Assert.Equal("eur", form["line_items[0][price_data][currency]"]);
        Assert.Equal("1000", form["line_items[1][price_data][unit_amount]"]);
        Assert.Equal("demo/PAT-1", form["metadata[debtor]"]);
        Assert.Equal("FAC-1:4250;FAC-2:1000", form["metadata[cases]"]);
        Assert.Equal("FAC-1:4250;FAC-2:1000", form["payment_intent_data[metadata][cases]"]);
        Assert.Equal("https://pay.example.fr/p/tok?done=paid", form["success_url"]);
    }
}
