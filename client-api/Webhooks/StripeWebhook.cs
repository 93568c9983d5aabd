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
        if (string.IsNullOrEmpty(secret) || string.IsNullOrEmpty(header))
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

        if (timestamp is not { } at || (now - DateTimeOffset.FromUnixTimeSeconds(at)).Duration() > tolerance || signatures.Count == 0)
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

        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var type = root.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (type is not ("checkout.session.completed" or "checkout.session.async_payment_succeeded")
            || !root.TryGetProperty("data", out var data) || !data.TryGetProperty("object", out var session))
        {
            return TypedResults.Ok();
        }

        if (session.TryGetProperty("payment_status", out var status) && status.GetString() != "paid")
        {
            return TypedResults.Ok(); // a delayed payment method: async_payment_succeeded will follow
        }

        var metadata = session.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
        var debtor = metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty("debtor", out var d) ? d.GetString() : null;
        var items = CheckoutPayments.Parse(metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty("cases", out var c) ? c.GetString() : null);
        var id = session.TryGetProperty("id", out var sid) ? sid.GetString() : null;
        if (debtor is null || items is null || id is null || debtor.Split('/').Length != 2)
        {
            return TypedResults.Ok(); // not one of ours
        }

        var currency = session.TryGetProperty("currency", out var cur) && cur.GetString() is { Length: 3 } code ? code : "eur";
        var created = root.TryGetProperty("created", out var when) && when.TryGetInt64(out var unix) ? DateTimeOffset.FromUnixTimeSeconds(unix) : time.GetUtcNow();
        await CheckoutPayments.RecordAsync(grains, debtor, items, currency, id, "card", DateOnly.FromDateTime(created.UtcDateTime));
        return TypedResults.Ok();
    }
}
