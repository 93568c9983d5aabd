using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Recouvrement.Api.Webhooks;

/// <summary>
/// Provider feedback under <c>/webhooks</c>: Twilio status callbacks and inbound SMS, SendGrid's Event Webhook.
/// Each checks the provider's signature first; a wrong one gets 403 and changes nothing.
/// </summary>
public static partial class WebhooksApi
{
    private const int MaxEventBody = 8 * 1024 * 1024;
    private static readonly string[] StopWords = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "ARRET", "ARRÊT"];
    private static readonly string[] StartWords = ["START", "YES", "UNSTOP"];

    public static WebApplication MapWebhooks(this WebApplication app)
    {
        var hooks = app.MapGroup("/webhooks").WithTags("Webhooks").DisableAntiforgery();
        hooks.MapPost("/twilio/status", TwilioStatus);
        hooks.MapPost("/twilio/inbound", TwilioInbound);
        hooks.MapPost("/sendgrid/events", SendGridEvents);
        return app;
    }

    /// <summary>A Twilio message status callback: delivered, or failed with the error that disables the number.</summary>
    public static async Task<IResult> TwilioStatus(HttpContext context, IGrainFactory grains, IOptions<TwilioWebhookOptions> options, TimeProvider time)
    {
        if (await VerifiedTwilioForm(context, options.Value) is not { } form)
        {
            return Forbidden();
        }

        var debtor = context.Request.Query["debtor"].ToString();
        var message = context.Request.Query["message"].ToString();
        if (!ValidDebtorKey(debtor) || string.IsNullOrEmpty(message))
        {
            return Problems.BadRequest("the callback URL must name a debtor and a message");
        }

        var status = form.GetValueOrDefault("MessageStatus") ?? form.GetValueOrDefault("SmsStatus") ?? string.Empty;
        var code = form.GetValueOrDefault("ErrorCode");
        var outcome = SmsOutcome(status, code);
        await grains.Reference<IDebtorGrain>(debtor).RecordDelivery(new DeliveryReport(message, Channel.Sms, outcome, string.IsNullOrEmpty(code) ? status : code, time.GetUtcNow()));
        return TypedResults.NoContent();
    }

    /// <summary>What a Twilio status and error code mean for the number.</summary>
    public static DeliveryOutcome SmsOutcome(string status, string? errorCode) => (status, errorCode) switch
    {
        ("delivered" or "read", _) => DeliveryOutcome.Delivered,
        ("failed" or "undelivered", "21211" or "30005" or "30012") => DeliveryOutcome.Undeliverable,
        ("failed" or "undelivered", "21614" or "30006") => DeliveryOutcome.NotMobile,
        ("failed" or "undelivered", "21610") => DeliveryOutcome.OptedOut,
        ("failed" or "undelivered", _) => DeliveryOutcome.TemporaryFailure,
        _ => DeliveryOutcome.Accepted,
    };

    /// <summary>An SMS from a debtor: STOP turns SMS off for every debtor texted at that number, START turns it back on.</summary>
    public static async Task<IResult> TwilioInbound(HttpContext context, IGrainFactory grains, IOptions<TwilioWebhookOptions> options)
    {
        if (await VerifiedTwilioForm(context, options.Value) is not { } form)
        {
            return Forbidden();
        }

        var keyword = (form.GetValueOrDefault("OptOutType") is { Length: > 0 } type ? type : form.GetValueOrDefault("Body") ?? string.Empty)
            .Trim().ToUpperInvariant();
        bool? stop = StopWords.Contains(keyword) ? true : StartWords.Contains(keyword) ? false : null;
        if (stop is { } optOut && PhoneNumberFormat.ToE164(form.GetValueOrDefault("From")) is { } phone)
        {
            foreach (var debtor in await grains.Reference<IPhoneNumberGrain>(phone).Debtors())
            {
                await grains.Reference<IDebtorGrain>(debtor).SetSmsOptOut(phone, optOut);
            }
        }

        // An empty TwiML answer: Twilio's own opt-out handling sends the confirmation the operators require.
        return TypedResults.Text("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>", "text/xml");
    }

    /// <summary>SendGrid's Event Webhook: a signed JSON array of events; ours carry our message id and debtor as custom args.</summary>
    public static async Task<IResult> SendGridEvents(HttpContext context, IGrainFactory grains, IOptions<SendGridWebhookOptions> options, TimeProvider time)
    {
        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.EventWebhookPublicKey))
        {
            return TypedResults.NotFound();
        }

        var body = await RequestBody.ReadAsync(context.Request, MaxEventBody, context.RequestAborted);
        var timestamp = context.Request.Headers["X-Twilio-Email-Event-Webhook-Timestamp"].ToString();
        var signature = context.Request.Headers["X-Twilio-Email-Event-Webhook-Signature"].ToString();
        if (!WebhookSignatures.SendGridValid(settings.EventWebhookPublicKey, timestamp, body, signature)
            || !long.TryParse(timestamp, out var seconds)
            || (time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > settings.EventWebhookTolerance)
        {
            return Forbidden();
        }

        JsonDocument events;
        try
        {
            events = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return Problems.BadRequest("the event batch is not valid JSON");
        }

        using (events)
        {
            if (events.RootElement.ValueKind != JsonValueKind.Array)
            {
                return Problems.BadRequest("the event batch must be a JSON array");
            }

            foreach (var item in events.RootElement.EnumerateArray())
            {
                if (Text(item, "message_id") is not { } message || Text(item, "debtor") is not { } debtor || !ValidDebtorKey(debtor))
                {
                    continue;
                }

                var kind = Text(item, "event") ?? string.Empty;
                var outcome = EmailOutcome(kind, Text(item, "type"), Text(item, "reason"));
                var at = item.TryGetProperty("timestamp", out var ts) && ts.TryGetInt64(out var unix) ? DateTimeOffset.FromUnixTimeSeconds(unix) : time.GetUtcNow();
                await grains.Reference<IDebtorGrain>(debtor).RecordDelivery(new DeliveryReport(message, Channel.Email, outcome, kind, at));
            }
        }

        return TypedResults.NoContent();
    }

    /// <summary>
    /// What a SendGrid event means for the address: a bounce of type <c>bounce</c>, or a drop because the address
    /// bounced before or is invalid, is a hard failure; a block or a deferral may pass.
    /// </summary>
    public static DeliveryOutcome EmailOutcome(string kind, string? type, string? reason) => kind switch
    {
        "delivered" => DeliveryOutcome.Delivered,
        "bounce" when type is null or "bounce" => DeliveryOutcome.Undeliverable,
        "bounce" => DeliveryOutcome.TemporaryFailure,
        "dropped" when reason is not null && (reason.Contains("Bounced Address", StringComparison.OrdinalIgnoreCase) || reason.Contains("Invalid", StringComparison.OrdinalIgnoreCase))
            => DeliveryOutcome.Undeliverable,
        "dropped" => DeliveryOutcome.TemporaryFailure,
        _ => DeliveryOutcome.Accepted,
    };

    private static string? Text(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool ValidDebtorKey(string key) => key.Split('/') is [{ Length: > 0 }, { Length: > 0 }];

    /// <summary>The request's form once its Twilio signature is checked, or null when it is missing or wrong.</summary>
    private static async Task<Dictionary<string, string>?> VerifiedTwilioForm(HttpContext context, TwilioWebhookOptions options)
    {
        if (string.IsNullOrEmpty(options.AuthToken) || !context.Request.HasFormContentType)
        {
            return null;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var pairs = form.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? string.Empty))).ToList();
        var request = context.Request;
        var url = string.IsNullOrEmpty(options.WebhookBaseUrl)
            ? $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}"
            : $"{options.WebhookBaseUrl.TrimEnd('/')}{request.Path}{request.QueryString}";
        if (!WebhookSignatures.TwilioValid(options.AuthToken, url, pairs, request.Headers["X-Twilio-Signature"].ToString()))
        {
            return null;
        }

        return form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
    }

    private static ProblemHttpResult Forbidden() =>
        TypedResults.Problem("the request's signature is missing or wrong", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
}
