using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Recouvrement.Api.Webhooks;

namespace Recouvrement.Silo.Simulation;

/// <summary>
/// What the providers would tell the engine about the simulated debtors, told through the engine's own webhooks and
/// signed as the providers sign: SendGrid's Event Webhook (ECDSA P-256 over the timestamp and the body) for a bounced
/// e-mail, Twilio's status callback (HMAC-SHA1 over the URL and the form) for an invalid number, Twilio's inbound
/// webhook for a STOP reply. The engine is given the matching secrets by <see cref="Settings"/>.
/// </summary>
public sealed class SimulatedProviders : IDisposable
{
    private readonly ECDsa _sendGrid = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>The Twilio auth token the engine checks signatures with.</summary>
    public string TwilioAuthToken { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The SendGrid verification key (base64 DER SubjectPublicKeyInfo) the engine checks events with.</summary>
    public string SendGridPublicKey => Convert.ToBase64String(_sendGrid.ExportSubjectPublicKeyInfo());

    /// <summary>The engine's settings that make it trust these providers' webhooks (the channels stay the outbox).</summary>
    public IReadOnlyDictionary<string, string> Settings() => new Dictionary<string, string>
    {
        ["Recouvrement:Channels:Twilio:AuthToken"] = TwilioAuthToken,
        ["Recouvrement:Channels:SendGrid:EventWebhookPublicKey"] = SendGridPublicKey,
    };

    /// <summary>SendGrid reports a hard bounce of <paramref name="message"/> to <paramref name="debtorKey"/>'s address.</summary>
    public HttpRequestMessage Bounce(string debtorKey, string message, string email, DateTimeOffset at)
    {
        var body = new JsonArray(new JsonObject
        {
            ["email"] = email, ["event"] = "bounce", ["type"] = "bounce", ["reason"] = "550 5.1.1 The email account that you tried to reach does not exist",
            ["timestamp"] = at.ToUnixTimeSeconds(), ["message_id"] = message, ["debtor"] = debtorKey,
        }).ToJsonString();
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signed = Encoding.UTF8.GetBytes(timestamp + body);
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/sendgrid/events") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Twilio-Email-Event-Webhook-Timestamp", timestamp);
        request.Headers.Add("X-Twilio-Email-Event-Webhook-Signature",
            Convert.ToBase64String(_sendGrid.SignData(signed, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)));
        return request;
    }

    /// <summary>Twilio's status callback: <paramref name="message"/> failed, 21211 (the number is not a valid one).</summary>
    public HttpRequestMessage InvalidNumber(Uri engine, string debtorKey, string message, string phone) =>
        Twilio(engine, $"/webhooks/twilio/status?debtor={Uri.EscapeDataString(debtorKey)}&message={Uri.EscapeDataString(message)}",
        [
            new("MessageSid", "SM" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(message)))[..32]),
            new("MessageStatus", "failed"), new("ErrorCode", "21211"), new("To", phone),
        ]);

    /// <summary>Twilio's inbound webhook: <paramref name="phone"/> texted STOP.</summary>
    public HttpRequestMessage Stop(Uri engine, string phone) =>
        Twilio(engine, "/webhooks/twilio/inbound", [new("From", phone), new("Body", "STOP"), new("OptOutType", "STOP")]);

    public void Dispose() => _sendGrid.Dispose();

    private HttpRequestMessage Twilio(Uri engine, string pathAndQuery, List<KeyValuePair<string, string>> form)
    {
        // Twilio signs the whole URL it calls, as the engine sees it when no public address is configured.
        var url = engine.GetLeftPart(UriPartial.Authority) + pathAndQuery;
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Twilio-Signature", WebhookSignatures.TwilioSign(TwilioAuthToken, url, form));
        return request;
    }
}
