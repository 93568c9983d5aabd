using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Recouvrement.Tests.Support;

/// <summary>A request a fake provider received, as it came over the wire.</summary>
public sealed record ProviderRequest(string Provider, string Path, string? Authorization, string? ContentType, string Body, IReadOnlyDictionary<string, string> Form);

/// <summary>An answer a test scripts for one request.</summary>
public sealed record ProviderAnswer(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>
/// Local stand-ins for Twilio's Messages API and SendGrid's mail send API over real HTTP. They record every
/// request as received and answer as the real services do: 201 with a message resource, 202 with X-Message-Id,
/// or the error bodies those services return, when a test scripts one.
/// </summary>
public sealed class FakeProviders : IAsyncDisposable
{
    public const string TwilioAccountSid = "AC0123456789abcdef0123456789abcdef";
    public const string TwilioAuthToken = "twilio-auth-token-for-tests";
    public const string TwilioFrom = "+33700000001";
    public const string SendGridApiKey = "SG.test-key.for-tests";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ProviderRequest> _requests = new();
    private int _sequence;

    private FakeProviders(WebApplication app, Uri address)
    {
        _app = app;
        BaseAddress = address;
    }

    public Uri BaseAddress { get; }

    /// <summary>Decides the answer to a request; null means success.</summary>
    public Func<ProviderRequest, ProviderAnswer?>? Answer { get; set; }

    public IReadOnlyList<ProviderRequest> Requests => [.. _requests];

    public IReadOnlyList<ProviderRequest> Twilio => [.. _requests.Where(r => r.Provider == "twilio")];

    public IReadOnlyList<ProviderRequest> SendGrid => [.. _requests.Where(r => r.Provider == "sendgrid")];

    public IReadOnlyList<ProviderRequest> Stripe => [.. _requests.Where(r => r.Provider == "stripe")];

    public static async Task<FakeProviders> StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeProviders(app, new Uri($"http://127.0.0.1:{port}"));
        app.Run(fake.Handle);
        await app.StartAsync();
        return fake;
    }

    private async Task Handle(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        var provider = path.StartsWith("/2010-04-01/Accounts/", StringComparison.Ordinal) && path.EndsWith("/Messages.json", StringComparison.Ordinal) ? "twilio"
            : path == "/v3/mail/send" ? "sendgrid"
            : path == "/v1/checkout/sessions" ? "stripe"
            : null;
        if (provider is null || context.Request.Method != "POST")
        {
            context.Response.StatusCode = 404;
            return;
        }

        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var form = provider is "twilio" or "stripe" && context.Request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal) == true
            ? Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(body).ToDictionary(kv => kv.Key, kv => kv.Value.ToString())
            : new Dictionary<string, string>();
        var request = new ProviderRequest(provider, path, context.Request.Headers.Authorization.ToString(), context.Request.ContentType, body, form);
        _requests.Enqueue(request);

        var answer = Answer?.Invoke(request) ?? Success(request);
        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        if (answer.Body.Length > 0)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.Body);
        }
    }

    private ProviderAnswer Success(ProviderRequest request)
    {
        var n = Interlocked.Increment(ref _sequence);
        if (request.Provider == "stripe")
        {
            var id = $"cs_test_{n:D6}";
            return new ProviderAnswer(200, $$"""
                {"id":"{{id}}","object":"checkout.session","mode":"payment","payment_status":"unpaid","status":"open","currency":"eur","amount_total":4250,"url":"https://checkout.stripe.com/c/pay/{{id}}","metadata":{},"livemode":false}
                """);
        }

        if (request.Provider == "sendgrid")
        {
            return new ProviderAnswer(202, string.Empty, new Dictionary<string, string> { ["X-Message-Id"] = $"sg-{n:D6}" });
        }

        var sid = $"SM{n:D32}";
        var json = $$"""
            {"account_sid":"{{TwilioAccountSid}}","api_version":"2010-04-01","body":{{System.Text.Json.JsonSerializer.Serialize(request.Form.GetValueOrDefault("Body"))}},"date_created":"Mon, 23 Nov 2026 08:00:00 +0000","date_sent":null,"date_updated":"Mon, 23 Nov 2026 08:00:00 +0000","direction":"outbound-api","error_code":null,"error_message":null,"from":"{{request.Form.GetValueOrDefault("From")}}","messaging_service_sid":null,"num_media":"0","num_segments":"2","price":null,"price_unit":null,"sid":"{{sid}}","status":"queued","subresource_uris":{"media":"/2010-04-01/Accounts/{{TwilioAccountSid}}/Messages/{{sid}}/Media.json"},"to":"{{request.Form.GetValueOrDefault("To")}}","uri":"/2010-04-01/Accounts/{{TwilioAccountSid}}/Messages/{{sid}}.json"}
            """;
        return new ProviderAnswer(201, json);
    }

    /// <summary>Twilio's error body for a code, as its API returns it.</summary>
    public static ProviderAnswer TwilioError(int code, string message, int status = 400, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, $$"""{"code":{{code}},"message":"{{message}}","more_info":"https://www.twilio.com/docs/errors/{{code}}","status":{{status}}}""", headers);

    /// <summary>SendGrid's error body, as its v3 API returns it.</summary>
    public static ProviderAnswer SendGridError(int status, string message, string? field = null) =>
        new(status, $$"""{"errors":[{"message":"{{message}}","field":{{(field is null ? "null" : $"\"{field}\"")}},"help":null}]}""");

    /// <summary>The settings that point the engine's senders at this server.</summary>
    public Dictionary<string, string?> EngineSettings(Uri? webhookBase = null) => new()
    {
        ["Recouvrement:Channels:SendGrid:ApiKey"] = SendGridApiKey,
        ["Recouvrement:Channels:SendGrid:BaseUrl"] = BaseAddress.ToString().TrimEnd('/'),
        ["Recouvrement:Channels:SendGrid:FromEmail"] = "relances@labo-test.fr",
        ["Recouvrement:Channels:SendGrid:FromName"] = "Labo Test",
        ["Recouvrement:Channels:SendGrid:RetryBaseDelay"] = "00:00:00.010",
        ["Recouvrement:Channels:SendGrid:MessagesPerSecond"] = "0",
        ["Recouvrement:Channels:Twilio:AccountSid"] = TwilioAccountSid,
        ["Recouvrement:Channels:Twilio:AuthToken"] = TwilioAuthToken,
        ["Recouvrement:Channels:Twilio:From"] = TwilioFrom,
        ["Recouvrement:Channels:Twilio:BaseUrl"] = BaseAddress.ToString().TrimEnd('/'),
        ["Recouvrement:Channels:Twilio:RetryBaseDelay"] = "00:00:00.010",
        ["Recouvrement:Channels:Twilio:MessagesPerSecond"] = "0",
        ["Recouvrement:Channels:Twilio:WebhookBaseUrl"] = webhookBase?.ToString().TrimEnd('/'),
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
