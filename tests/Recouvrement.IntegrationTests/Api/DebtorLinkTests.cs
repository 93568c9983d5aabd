using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Recouvrement.Api.Webhooks;
using Recouvrement.Silo.Hosting;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Api;

/// <summary>
/// The payment-link token is the only key to a debtor's page: the pages tell browsers to keep it to themselves
/// (no cache, no referrer, a strict CSP), the addresses the engine sends a debtor to come from configuration and
/// never from the request's Host, and a correction to the same number keeps the debtor's STOP.
/// </summary>
public sealed partial class DebtorLinkTests(DebtorLinkTests.LinkHost host) : IClassFixture<DebtorLinkTests.LinkHost>
{
    private const string Forged = "attacker.example";

    /// <summary>
    /// The engine host on a clock 600 times as fast from a Tuesday morning, so that an overdue case plans its first SMS
    /// within seconds, with Twilio's webhook token so that the debtor can reply STOP (SMS themselves go to the outbox).
    /// </summary>
    public sealed class LinkHost : EngineHost
    {
        protected override IEnumerable<string> ExtraArgs =>
        [
            "--Recouvrement:Clock:Speed=600",
            "--Recouvrement:Clock:Start=2026-11-03T09:00:00Z",
            $"--Recouvrement:Clock:Anchor={DateTimeOffset.UtcNow:O}",
            $"--Recouvrement:Channels:Twilio:AuthToken={FakeProviders.TwilioAuthToken}",
        ];
    }

    /// <summary>The engine host paying through a fake Stripe.</summary>
    private sealed class StripeHost(Uri stripe) : EngineHost
    {
        protected override IEnumerable<string> ExtraArgs =>
            ["--Recouvrement:Payments:Stripe:SecretKey=sk_test_123", $"--Recouvrement:Payments:Stripe:ApiBase={stripe.ToString().TrimEnd('/')}"];
    }

    /// <summary>The engine host with every log category at Trace kept by <see cref="LogCapture"/>, and traces sent to an OTLP receiver.</summary>
    private sealed class TraceLevelHost(Uri otlp, LogCapture logs) : EngineHost
    {
        protected override IEnumerable<string> ExtraArgs =>
        [
            "--Logging:LogLevel:Default=Trace",
            .. FrameworkLogLevels.QuietCategories.Select(category => $"--Logging:LogLevel:{category}=Trace"),
            $"--OTEL_EXPORTER_OTLP_ENDPOINT={otlp}",
            "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
            "--OTEL_BSP_SCHEDULE_DELAY=200",
        ];

        protected override void Customize(WebApplicationBuilder builder)
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(logs);
        }
    }

    /// <summary>A browser that does not follow redirects, so that each answer can be looked at.</summary>
    private static HttpClient Browser(EngineHost engine) =>
        new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = engine.BaseAddress };

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    private static async Task<HttpResponseMessage> Send(HttpClient browser, HttpMethod method, string url, HttpContent? form = null, string? hostHeader = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = form };
        if (hostHeader is not null)
        {
            request.Headers.Host = hostHeader;
        }

        return await browser.SendAsync(request);
    }

    private static string Location(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.OriginalString;
    }

    [GeneratedRegex("<style>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StyleElement();

    /// <summary>The four headers every debtor page answers with, whatever the answer.</summary>
    private static void AssertProtected(HttpResponseMessage response, string what)
    {
        Assert.True(response.Headers.CacheControl?.NoStore == true, $"{what}: Cache-Control no-store, got '{response.Headers.CacheControl}'");
        Assert.Equal(["no-referrer"], response.Headers.GetValues("Referrer-Policy"));
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out var values), $"{what}: a Content-Security-Policy");
        var csp = Assert.Single(values).Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("base-uri 'none'", csp);
        Assert.Contains(csp, d => d.StartsWith("form-action 'self'", StringComparison.Ordinal));
        Assert.DoesNotContain(csp, d => d.Contains("unsafe", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_debtor_page_answer_forbids_caching_referrers_framing_and_foreign_content()
    {
        using var api = host.Client();
        await ApiCases.Create(api, "LINK-H1", "PAT-LINK-H");
        var token = host.TokenFor("PAT-LINK-H");
        using var browser = Browser(host);

        var page = await Send(browser, HttpMethod.Get, $"/p/{token}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        AssertProtected(page, "the page");
        // The page's only style is its <style> element, allowed by its hash and nothing wider.
        var style = StyleElement().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value;
        var hash = $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style)))}'";
        Assert.Contains($"style-src {hash}", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("form-action 'self' " + host.BaseAddress.GetLeftPart(UriPartial.Authority), page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        AssertProtected(await Send(browser, HttpMethod.Get, "/p/not-a-token"), "a bad link's page");
        AssertProtected(await Send(browser, HttpMethod.Get, $"/p/{token}/nowhere"), "an unknown address under /p/");
        AssertProtected(await Send(browser, HttpMethod.Post, $"/p/{token}/plan", Form(("case", "LINK-H1"), ("instalments", "many"))), "a form that cannot be read");
        AssertProtected(await Send(browser, HttpMethod.Post, $"/p/{token}/dispute", Form(("case", "LINK-H1"), ("reason", "nope"))), "a refused form");

        var pay = await Send(browser, HttpMethod.Post, $"/p/{token}/pay", Form(("case", "LINK-H1")));
        AssertProtected(pay, "the redirect to the checkout");
        var checkout = Location(pay);
        AssertProtected(await Send(browser, HttpMethod.Get, checkout), "the sandbox checkout page");
        AssertProtected(await Send(browser, HttpMethod.Get, "/sandbox/checkout/cs_sandbox_unknown"), "an unknown checkout");
        AssertProtected(await Send(browser, HttpMethod.Post, checkout + "/pay", Form(("card", "4242 4242 4242 4242"))), "the checkout's redirect back");
    }

    [Fact]
    public async Task A_forged_host_header_sends_the_debtor_back_to_the_configured_address_only()
    {
        using var api = host.Client();
        await ApiCases.Create(api, "LINK-F1", "PAT-LINK-F");
        var token = host.TokenFor("PAT-LINK-F");
        using var browser = Browser(host);
        var configured = $"{host.BaseAddress.GetLeftPart(UriPartial.Authority)}/p/{token}?";

        var checkout = Location(await Send(browser, HttpMethod.Post, $"/p/{token}/pay", Form(("case", "LINK-F1")), hostHeader: Forged));
        Assert.StartsWith("/sandbox/checkout/", checkout, StringComparison.Ordinal);
        var page = await (await Send(browser, HttpMethod.Get, checkout, hostHeader: Forged)).Content.ReadAsStringAsync();
        Assert.DoesNotContain(Forged, page, StringComparison.Ordinal);
        Assert.Contains($"href=\"{configured}lang=fr&amp;done=cancelled\"", page, StringComparison.Ordinal);

        var back = Location(await Send(browser, HttpMethod.Post, checkout + "/pay", Form(("card", "4242 4242 4242 4242")), hostHeader: Forged));
        Assert.Equal($"{configured}lang=fr&done=paid", back);

        // The page's own redirects are relative: the browser stays on the address it asked for.
        var details = Location(await Send(browser, HttpMethod.Post, $"/p/{token}/details", Form(("city", "Lyon")), hostHeader: Forged));
        Assert.Equal($"/p/{token}?lang=fr&done=invalid", details);
    }

    [Fact]
    public async Task A_forged_host_header_never_reaches_stripe_as_a_success_or_cancel_url()
    {
        await using var stripe = await FakeProviders.StartAsync();
        var engine = new StripeHost(stripe.BaseAddress);
        await engine.InitializeAsync();
        try
        {
            using var api = engine.Client();
            await ApiCases.Create(api, "LINK-S1", "PAT-LINK-S");
            var token = engine.TokenFor("PAT-LINK-S");
            using var browser = Browser(engine);
            var pay = await Send(browser, HttpMethod.Post, $"/p/{token}/pay?lang=en", Form(("case", "LINK-S1")), hostHeader: Forged);
            Assert.Equal("https://checkout.stripe.com/c/pay/cs_test_000001", Location(pay));
            var session = Assert.Single(stripe.Stripe).Form;
            var configured = $"{engine.BaseAddress.GetLeftPart(UriPartial.Authority)}/p/{token}?lang=en";
            Assert.Equal((configured + "&done=paid", configured + "&done=cancelled"), (session["success_url"], session["cancel_url"]));

            // The page's forms post to Stripe through that redirect: its policy lets them.
            var page = await Send(browser, HttpMethod.Get, $"/p/{token}");
            Assert.Contains($"form-action 'self' {engine.BaseAddress.GetLeftPart(UriPartial.Authority)} https://checkout.stripe.com;",
                page.Headers.TryGetValues("Content-Security-Policy", out var csp) ? csp.Single() : string.Empty, StringComparison.Ordinal);
        }
        finally
        {
            await engine.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_correction_to_the_same_number_in_another_format_keeps_its_stop()
    {
        const string phone = "+33611223344";
        using var api = host.Client();
        var created = await api.PostAsJsonAsync("/api/v1/cases", new
        {
            reference = "LINK-STOP-1", amount = 42.50m, issuedOn = "2026-10-02", dueOn = "2026-11-02",
            debtor = new { reference = "PAT-LINK-STOP", kind = "consumer", name = "Marie Durand", email = "marie@example.org", phone },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await Eventually.Get(() => host.Grains.GetGrain<IPhoneNumberGrain>(phone).Debtors(), d => d.Contains("demo/PAT-LINK-STOP"), TimeSpan.FromSeconds(30),
            "the phone registered once the overdue case planned an SMS");

        using var twilio = new HttpClient { BaseAddress = host.BaseAddress };
        var reply = new Dictionary<string, string> { ["MessageSid"] = "SM1", ["AccountSid"] = FakeProviders.TwilioAccountSid, ["From"] = phone, ["To"] = FakeProviders.TwilioFrom, ["Body"] = "STOP", ["OptOutType"] = "STOP" };
        using var stop = new HttpRequestMessage(HttpMethod.Post, "/webhooks/twilio/inbound") { Content = new FormUrlEncodedContent(reply) };
        stop.Headers.Add("X-Twilio-Signature", WebhookSignatures.TwilioSign(FakeProviders.TwilioAuthToken, new Uri(host.BaseAddress, "/webhooks/twilio/inbound").ToString(), reply));
        Assert.Equal(HttpStatusCode.OK, (await twilio.SendAsync(stop)).StatusCode);
        Assert.Equal("opted_out", await SmsStatus(api, "PAT-LINK-STOP"));

        // The form as the page fills it, with the number typed the French way.
        var token = host.TokenFor("PAT-LINK-STOP");
        using var browser = Browser(host);
        var answer = await Send(browser, HttpMethod.Post, $"/p/{token}/details",
            Form(("email", "marie@example.org"), ("phone", "06 11 22 33 44"), ("line1", ""), ("postalCode", ""), ("city", "")));
        Assert.Equal($"/p/{token}?lang=fr&done=details", Location(answer));
        Assert.Equal("opted_out", await SmsStatus(api, "PAT-LINK-STOP"));

        // Another number is not under the STOP given for the old one.
        Assert.Equal($"/p/{token}?lang=fr&done=details", Location(await Send(browser, HttpMethod.Post, $"/p/{token}/details", Form(("phone", "06 99 88 77 66")))));
        Assert.Equal("active", await SmsStatus(api, "PAT-LINK-STOP"));
    }

    private static async Task<string> SmsStatus(HttpClient api, string debtor)
    {
        var view = await api.GetFromJsonAsync<JsonObject>($"/api/v1/debtors/{debtor}");
        return view!["contactPoints"]!.AsArray().Single(p => p!["channel"]!.GetValue<string>() == "sms")!["status"]!.GetValue<string>();
    }

    [Fact]
    public async Task The_token_is_in_no_log_line_and_no_span_even_with_every_log_category_at_trace()
    {
        await using var receiver = TraceExportTests.OtlpReceiver.Start();
        var logs = new LogCapture();
        var engine = new TraceLevelHost(receiver.Address, logs);
        await engine.InitializeAsync();
        string token;
        try
        {
            using var api = engine.Client();
            await ApiCases.Create(api, "LINK-T1", "PAT-LINK-T");
            await ApiCases.Create(api, "LINK-T2", "PAT-LINK-T");
            token = engine.TokenFor("PAT-LINK-T");
            using var browser = Browser(engine);

            // What a debtor does with the link, and a few things that go wrong.
            Assert.Equal(HttpStatusCode.OK, (await Send(browser, HttpMethod.Get, $"/p/{token}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await Send(browser, HttpMethod.Get, $"/p/{token}?lang=en&done=details")).StatusCode);
            Location(await Send(browser, HttpMethod.Post, $"/p/{token}/details?lang=en", Form(("email", "marie@example.org"), ("phone", "06 12 34 56 78"))));
            Location(await Send(browser, HttpMethod.Post, $"/p/{token}/dispute", Form(("case", "LINK-T2"), ("reason", "wrong_amount"), ("message", "déjà payé"))));
            Assert.Equal(HttpStatusCode.BadRequest, (await Send(browser, HttpMethod.Post, $"/p/{token}/plan", Form(("case", "LINK-T1"), ("instalments", "many")))).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await Send(browser, HttpMethod.Get, $"/p/{token}/nowhere")).StatusCode);
            var checkout = Location(await Send(browser, HttpMethod.Post, $"/p/{token}/pay", Form(("case", "LINK-T1"))));
            Assert.Equal(HttpStatusCode.OK, (await Send(browser, HttpMethod.Get, checkout)).StatusCode);
            var back = Location(await Send(browser, HttpMethod.Post, checkout + "/pay", Form(("card", "4242 4242 4242 4242"))));
            Assert.Equal(HttpStatusCode.OK, (await Send(browser, HttpMethod.Get, back)).StatusCode);
        }
        finally
        {
            await engine.DisposeAsync(); // flushes the last spans to the receiver
        }

        var signature = token[(token.IndexOf('.', StringComparison.Ordinal) + 1)..];
        Assert.Contains(logs.Lines, l => l.Contains("Request starting", StringComparison.Ordinal) && l.Contains("/p/", StringComparison.Ordinal)); // Trace reached the hosting log
        var leaks = logs.Lines.Where(l => l.Contains(signature, StringComparison.Ordinal)).ToList();
        Assert.True(leaks.Count == 0, $"{leaks.Count} log lines carry the token, the first ones:\n{string.Join('\n', leaks.Take(5))}");
        var spans = string.Concat(receiver.Traces.Select(Encoding.UTF8.GetString));
        Assert.Contains("/p/", spans, StringComparison.Ordinal); // the debtor's requests were traced
        var at = spans.IndexOf(signature, StringComparison.Ordinal);
        Assert.True(at < 0, $"an exported span carries the token: …{(at < 0 ? string.Empty : spans[Math.Max(0, at - 200)..Math.Min(spans.Length, at + 100)])}…");
    }
}
