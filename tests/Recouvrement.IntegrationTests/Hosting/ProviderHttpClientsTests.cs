using Microsoft.Extensions.DependencyInjection;
using Recouvrement.Api.Payments;
using Recouvrement.Channels;
using Recouvrement.Silo.Hosting;
using Recouvrement.Tests.Support;
using Recouvrement.Webhooks;

namespace Recouvrement.Tests.Hosting;

/// <summary>Every provider is called through a client of the process's HTTP client factory, its timeout from its own settings.</summary>
public sealed class ProviderHttpClientsTests
{
    [Fact]
    public async Task Each_provider_client_takes_its_timeout_from_its_settings()
    {
        await using var app = SiloHost.Build(
        [
            $"--urls=http://127.0.0.1:{FreePort.Next()}",
            $"--Recouvrement:Cluster:SiloPort={FreePort.Next()}",
            $"--Recouvrement:Cluster:GatewayPort={FreePort.Next()}",
            "--Recouvrement:Channels:SendGrid:Timeout=00:00:07",
            "--Recouvrement:Channels:Twilio:Timeout=00:00:08",
            "--Recouvrement:Webhooks:Timeout=00:00:09",
            "--Recouvrement:Payments:Stripe:Timeout=00:00:11",
            "--Logging:LogLevel:Default=None",
        ]);
        var clients = app.Services.GetRequiredService<IHttpClientFactory>();

        Assert.Equal(TimeSpan.FromSeconds(7), clients.CreateClient(nameof(SendGridEmailChannel)).Timeout);
        Assert.Equal(TimeSpan.FromSeconds(8), clients.CreateClient(nameof(TwilioClient)).Timeout);
        Assert.Equal(TimeSpan.FromSeconds(9), clients.CreateClient(WebhookSender.ClientName).Timeout);
        Assert.Equal(TimeSpan.FromSeconds(11), clients.CreateClient(nameof(StripePaymentProvider)).Timeout);
    }
}
