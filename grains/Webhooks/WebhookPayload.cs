using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Recouvrement.Events;

namespace Recouvrement.Webhooks;

/// <summary>
/// What a delivery carries: the event as the feed (<c>GET /api/v1/events</c>) serves it, and its signature. The header
/// names and the signed text are a contract with every receiver (<c>docs/webhooks.md</c>).
/// </summary>
public static class WebhookPayload
{
    public const string SignatureHeader = "Recouvrement-Signature";
    public const string EventIdHeader = "Recouvrement-Event-Id";

    /// <summary><c>{id, type, occurredAt, caseReference, debtorReference, data}</c>, UTF-8: the feed's item, field for field.</summary>
    public static byte[] Body(EngineEvent e)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + e.Data.Length);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", e.Id);
            json.WriteString("type", e.Type);
            json.WriteString("occurredAt", e.OccurredAt);
            if (e.CaseReference is null)
            {
                json.WriteNull("caseReference");
            }
            else
            {
                json.WriteString("caseReference", e.CaseReference);
            }

            json.WriteString("debtorReference", e.DebtorReference);
            json.WritePropertyName("data");
            json.WriteRawValue(e.Data);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "&lt;t&gt;.&lt;body&gt;")&gt;</c>.</summary>
    public static string Signature(byte[] secret, long unixSeconds, byte[] body)
    {
        var t = unixSeconds.ToString(CultureInfo.InvariantCulture);
        var signed = new byte[Encoding.ASCII.GetByteCount(t) + 1 + body.Length];
        var prefix = Encoding.ASCII.GetBytes(t, signed);
        signed[prefix] = (byte)'.';
        body.CopyTo(signed, prefix + 1);
        return $"t={t},v1={Convert.ToHexStringLower(HMACSHA256.HashData(secret, signed))}";
    }
}
