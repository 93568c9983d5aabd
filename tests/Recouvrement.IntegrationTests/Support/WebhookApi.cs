using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Recouvrement.Api;
using Recouvrement.Api.Webhooks;

namespace Recouvrement.Tests.Support;

/// <summary>
/// The HTTP API mapped over a test cluster's client, as the standalone API process runs it, so that provider
/// webhooks reach the grains over real HTTP while the grains run on a fake clock.
/// </summary>
public sealed class WebhookApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookApi(WebApplication app, Uri address, ECDsa sendGridKey)
    {
        _app = app;
        BaseAddress = address;
        SendGridKey = sendGridKey;
    }

    public Uri BaseAddress { get; }

    /// <summary>The key SendGrid would sign events with; its public half is configured in the API.</summary>
    public ECDsa SendGridKey { get; }

    public static async Task<WebhookApi> StartAsync(IGrainFactory grains, int port)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Recouvrement:Channels:Twilio:AuthToken"] = FakeProviders.TwilioAuthToken,
            ["Recouvrement:Channels:SendGrid:EventWebhookPublicKey"] = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()),
        });
        builder.Services.AddSingleton(grains);
        builder.Services.AddRecouvrementApi();
        var app = builder.Build();
        app.MapRecouvrementApi();
        await app.StartAsync();
        return new WebhookApi(app, new Uri($"http://127.0.0.1:{port}"), key);
    }

    public HttpClient Client() => new() { BaseAddress = BaseAddress };

    /// <summary>Posts a form as Twilio would, signed with <paramref name="token"/> over the full URL.</summary>
    public async Task<HttpResponseMessage> PostTwilio(string pathAndQuery, IReadOnlyDictionary<string, string> form, string token = FakeProviders.TwilioAuthToken)
    {
        using var client = Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, pathAndQuery) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Twilio-Signature", WebhookSignatures.TwilioSign(token, new Uri(BaseAddress, pathAndQuery).ToString(), form));
        return await client.SendAsync(request);
    }

    /// <summary>Posts a SendGrid event batch signed with <paramref name="signer"/> (the configured key by default).</summary>
    public async Task<HttpResponseMessage> PostSendGrid(string json, ECDsa? signer = null, DateTimeOffset? at = null)
    {
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var body = Encoding.UTF8.GetBytes(json);
        var signature = (signer ?? SendGridKey).SignData([.. Encoding.UTF8.GetBytes(timestamp), .. body], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        using var client = Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/sendgrid/events") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Twilio-Email-Event-Webhook-Signature", Convert.ToBase64String(signature));
        request.Headers.Add("X-Twilio-Email-Event-Webhook-Timestamp", timestamp);
        return await client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        SendGridKey.Dispose();
    }
}
