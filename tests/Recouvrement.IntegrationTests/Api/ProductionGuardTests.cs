using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Recouvrement.Api.Hosting;
using Recouvrement.Silo.Hosting;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Api;

/// <summary>With a database configured, the engine never runs on a fake by accident: it refuses to start, or says so.</summary>
public sealed class ProductionGuardTests
{
    private const string Database = "Host=127.0.0.1;Port=1;Database=none;Username=none";

    [Fact]
    public void A_silo_on_postgresql_with_no_providers_and_no_signing_key_refuses_to_start_naming_each_fake()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SiloHost.Build([$"--ConnectionStrings:Recouvrement={Database}"]));

        Assert.Contains("sandbox checkout", error.Message, StringComparison.Ordinal);
        Assert.Contains("Recouvrement:Payments:Sandbox=true", error.Message, StringComparison.Ordinal);
        Assert.Contains("e-mails (Recouvrement:Channels:SendGrid:ApiKey) and SMS (Recouvrement:Channels:Twilio:AccountSid)", error.Message, StringComparison.Ordinal);
        Assert.Contains("Recouvrement:Channels:Outbox=true", error.Message, StringComparison.Ordinal);
        Assert.Contains("Recouvrement:PaymentLinks:SigningKey is not set", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("c2hvcnQ=", "is shorter than 32 bytes")]
    [InlineData("not base64!", "is not base64")]
    public void A_short_or_malformed_signing_key_is_refused_even_when_fakes_are_allowed(string key, string reason)
    {
        var findings = ProductionGuard.Inspect(Configuration(("Recouvrement:PaymentLinks:SigningKey", key)), sendsMessages: true);
        Assert.StartsWith($"Recouvrement:PaymentLinks:SigningKey {reason}:", Assert.Single(findings.Refusals), StringComparison.Ordinal);
    }

    [Fact]
    public void The_api_tier_is_not_asked_about_message_providers_it_never_uses()
    {
        var findings = ProductionGuard.Inspect(Configuration(("Recouvrement:Payments:Sandbox", "false")), sendsMessages: false);
        Assert.Equal(2, findings.Refusals.Count);
        Assert.DoesNotContain(findings.Refusals, r => r.Contains("outbox", StringComparison.Ordinal));
    }

    [Fact]
    public void The_embedded_default_runs_on_its_fakes_without_a_word()
    {
        var findings = ProductionGuard.Inspect(new ConfigurationBuilder().Build(), sendsMessages: true);
        Assert.Empty(findings.Refusals);
        Assert.Empty(findings.Warnings);
    }

    [Fact]
    public async Task A_silo_told_to_run_on_fakes_starts_and_its_readiness_names_them()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var port = FreePort.Next();
        var app = SiloHost.Build(
        [
            $"--urls=http://127.0.0.1:{port}",
            $"--ConnectionStrings:Recouvrement={database.ConnectionString}",
            $"--Recouvrement:Cluster:SiloPort={FreePort.Next()}",
            $"--Recouvrement:Cluster:GatewayPort={FreePort.Next()}",
            "--Recouvrement:Payments:Sandbox=true",
            "--Recouvrement:Channels:Outbox=true",
            $"--Recouvrement:PaymentLinks:SigningKey={SiloProcess.SigningKey}",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var ready = await Eventually.Get(() => http.GetFromJsonAsync<JsonObject>("/health/ready"), r => r!["status"]!.GetValue<string>() != "Unhealthy",
                TimeSpan.FromSeconds(30), "the silo to be ready");
            Assert.Equal("Degraded", ready!["status"]!.GetValue<string>());
            var providers = ready["checks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "providers")!;
            Assert.Contains("sandbox checkout", providers["description"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Contains("e-mails and SMS are written to the outbox folder", providers["description"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>A database, the outbox and the sandbox allowed, and <paramref name="settings"/> over them.</summary>
    private static IConfiguration Configuration(params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Recouvrement"] = Database,
            ["Recouvrement:Channels:Outbox"] = "true",
            ["Recouvrement:Payments:Sandbox"] = "true",
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }
}
