using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Api;

/// <summary>Health endpoints, the Prometheus scrape and the operator-only dashboard on the real single-node host.</summary>
public sealed class ObservabilityTests(EngineHost host) : IClassFixture<EngineHost>
{
    [Fact]
    public async Task Liveness_and_readiness_answer()
    {
        using var client = host.Client(key: null);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var ready = await Eventually.Get(() => client.GetAsync("/health/ready"), r => r.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "the silo to be ready");
        Assert.Equal("application/json", ready.Content.Headers.ContentType?.MediaType);
        Assert.Equal(("Healthy", "Healthy"), (await Readiness.Check(client, "silo"), await Readiness.Check(client, "database")));
    }

    [Fact]
    public async Task Metrics_carry_the_engines_own_counters_and_orleans()
    {
        using var api = host.Client();
        await ApiCases.Create(api, "MET-1", "PAT-MET");
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/cases/MET-1/payments", new { amount = 10m, reference = "VIR-MET" })).StatusCode);

        using var scraper = host.Client(key: null);
        var text = await Eventually.Get(() => scraper.GetStringAsync("/metrics"),
            t => t.Contains("recouvrement_payments_total", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the engine's counters in /metrics");
        Assert.Contains("recouvrement_cases_status_changes_total{", text, StringComparison.Ordinal);
        Assert.Contains("status=\"active\"", text, StringComparison.Ordinal);
        Assert.Contains("method=\"bank_transfer\"", text, StringComparison.Ordinal);
        Assert.Contains("orleans_", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
        Assert.DoesNotContain("PAT-MET", text, StringComparison.Ordinal); // nothing personal in metrics
    }

    [Fact]
    public async Task The_dashboard_needs_the_operator_key()
    {
        using var anonymous = host.Client(key: null);
        var refused = await anonymous.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.StartsWith("Basic", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        using var creditor = host.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await creditor.GetAsync("/dashboard/")).StatusCode);

        using var browser = host.Client(key: null);
        browser.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"ops:{EngineHost.OperatorKey}")));
        var page = await browser.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        using var operatorClient = host.Client(EngineHost.OperatorKey);
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.GetAsync("/dashboard/")).StatusCode);
    }
}

/// <summary>With <c>Recouvrement:Dashboard:Enabled=false</c> there is no dashboard, even for the operator; the rest stays.</summary>
public sealed class DashboardOffTests(DashboardOffTests.Host host) : IClassFixture<DashboardOffTests.Host>
{
    [Fact]
    public async Task The_dashboard_can_be_turned_off()
    {
        using var operatorClient = host.Client(EngineHost.OperatorKey);
        Assert.Equal(HttpStatusCode.NotFound, (await operatorClient.GetAsync("/dashboard/")).StatusCode);
        using var scraper = host.Client(key: null);
        Assert.Contains("orleans_", await scraper.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    public sealed class Host : EngineHost
    {
        protected override IEnumerable<string> ExtraArgs => ["--Recouvrement:Dashboard:Enabled=false"];
    }
}
