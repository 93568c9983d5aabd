using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Recouvrement.Api.Payments;

namespace Recouvrement.Api.Webhooks;

/// <summary>
/// <c>POST /webhooks/stripe</c>: Stripe's events, checked with the <c>Stripe-Signature</c> scheme before anything is
/// read. A paid Checkout session becomes one payment per case, recorded under the session's id, so the same event
/// delivered again (Stripe retries) records nothing more.
/// </summary>
public static class StripeWebhook
{
    private const int MaxBody = 1024 * 1024;

    /// <summary>Stripe's header is a timestamp and a few signatures, some 200 characters; anything much longer is not Stripe's.</summary>
    private const int MaxSignatureHeader = 4096;

    public static WebApplication MapStripeWebhook(this WebApplication app)
    {
        app.MapPost("/webhooks/stripe", Receive).WithTags("Webhooks").DisableAntiforgery();
        return app;
    }

    /// <summary>
    /// <c>t=…,v1=…</c>: HMAC-SHA256, keyed with the endpoint secret, of <c>{t}.{raw body}</c>, hex; any v1 may match;
    /// the timestamp must be within the tolerance.
    /// </summary>
    public static bool Valid(string secret, string? header, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(secret) || string.IsNullOrEmpty(header) || header.Length > MaxSignatureHeader)
        {
            return false;
        }

        long? timestamp = null;
        var signatures = new List<byte[]>();
        foreach (var part in header.Split(','))
        {
            var kv = part.Split('=', 2);
            if (kv.Length != 2)
            {
                continue;
            }

            if (kv[0].Trim() == "t" && long.TryParse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture, out var t))
            {
                timestamp = t;
            }
            else if (kv[0].Trim() == "v1")
            {
                try
                {
                    signatures.Add(Convert.FromHexString(kv[1].Trim()));
                }
                catch (FormatException)
                {
                    // A malformed signature matches nothing.
                }
            }
        }

        // Compared in seconds, not as instants: a timestamp past the year 9999 is a valid long but no DateTimeOffset.
        if (timestamp is not { } at || Math.Abs(now.ToUnixTimeSeconds() - at) > tolerance.TotalSeconds || signatures.Count == 0)
        {
            return false;
        }

        var prefix = Encoding.UTF8.GetBytes($"{at}.");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return signatures.Any(s => CryptographicOperations.FixedTimeEquals(s, expected));
    }

    public static async Task<IResult> Receive(HttpContext context, IGrainFactory grains, IOptions<StripeOptions> options, TimeProvider time)
    {
        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.WebhookSecret))
        {
            return TypedResults.NotFound();
        }

        var body = await RequestBody.ReadAsync(context.Request, MaxBody, context.RequestAborted);
        if (!Valid(settings.WebhookSecret, context.Request.Headers["Stripe-Signature"].ToString(), body, time.GetUtcNow(), settings.WebhookTolerance))
        {
            return TypedResults.Problem("the Stripe-Signature header is missing, wrong or too old", statusCode: StatusCodes.Status400BadRequest, title: "Bad signature");
        }

        using var json = ParseOrNull(body);
        if (json is null)
        {
            return TypedResults.Problem("the body is not a JSON event", statusCode: StatusCodes.Status400BadRequest, title: "Bad request");
        }

        var root = json.RootElement;
        var type = StringOf(root, "type");
        if (type is not ("checkout.session.completed" or "checkout.session.async_payment_succeeded")
            || root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("data", out var data)
            || data.ValueKind != JsonValueKind.Object || !data.TryGetProperty("object", out var session) || session.ValueKind != JsonValueKind.Object)
        {
            return TypedResults.Ok();
        }

        if (session.TryGetProperty("payment_status", out _) && StringOf(session, "payment_status") != "paid")
        {
            return TypedResults.Ok(); // a delayed payment method: async_payment_succeeded will follow
        }

        var metadata = session.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
        var debtor = StringOf(metadata, "debtor");
        var items = CheckoutPayments.Parse(StringOf(metadata, "cases"));
        var id = StringOf(session, "id");
        if (debtor is null || items is null || id is null || debtor.Split('/').Length != 2)
        {
            return TypedResults.Ok(); // not one of ours
        }

        var currency = StringOf(session, "currency") is { Length: 3 } code ? code : "eur";
        var created = root.TryGetProperty("created", out var when) && when.ValueKind == JsonValueKind.Number && when.TryGetInt64(out var unix)
            && unix is >= 0 and <= MaxUnixSeconds ? DateTimeOffset.FromUnixTimeSeconds(unix) : time.GetUtcNow();
        await CheckoutPayments.RecordAsync(grains, debtor, items, currency, id, "card", DateOnly.FromDateTime(created.UtcDateTime));
        return TypedResults.Ok();
    }

    private const long MaxUnixSeconds = 253_402_300_799; // 9999-12-31T23:59:59Z

    private static JsonDocument? ParseOrNull(byte[] body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A string property, or null when it is absent, of another type or not valid Unicode: a signed event of an unknown shape is ignored, never a 500.</summary>
    private static string? StringOf(JsonElement parent, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
