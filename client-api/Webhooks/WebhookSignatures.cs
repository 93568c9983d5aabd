using System.Security.Cryptography;
using System.Text;
using Twilio.Security;

namespace Recouvrement.Api.Webhooks;

/// <summary>The providers' request-signing schemes, checked before anything in a webhook is read or acted on.</summary>
/// <remarks>Twilio's scheme is HMAC-SHA1 by its own definition; the package verifies it, and <see cref="TwilioSign"/> writes it for tests.</remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "Twilio defines its request signature as HMAC-SHA1.")]
public static class WebhookSignatures
{
    /// <summary>
    /// Twilio's <c>X-Twilio-Signature</c> (HMAC-SHA1 with the auth token over the full URL Twilio requested and the form
    /// fields), checked by the Twilio package's <see cref="RequestValidator"/>, which also tries the URL with its default
    /// port added or removed, since Twilio signs either. The validator takes one value per field, and Twilio's webhooks
    /// never repeat one: a form that does is refused.
    /// </summary>
    public static bool TwilioValid(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form, string? signature)
    {
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(authToken) || string.IsNullOrEmpty(url))
        {
            return false;
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in form)
        {
            if (!fields.TryAdd(name, value))
            {
                return false;
            }
        }

        try
        {
            return new RequestValidator(authToken).Validate(url, fields, signature);
        }
        catch (UriFormatException)
        {
            // The URL with its port changed could not be parsed: it matched neither way.
            return false;
        }
    }

    /// <summary>Signs like Twilio does; for tests and for tools that replay callbacks.</summary>
    public static string TwilioSign(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        var fields = string.Concat(form.OrderBy(f => f.Key, StringComparer.Ordinal).ThenBy(f => f.Value, StringComparer.Ordinal).Select(f => f.Key + f.Value));
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(url + fields)));
    }

    /// <summary>
    /// SendGrid's signed Event Webhook: an ECDSA P-256 / SHA-256 signature (base64 DER) over the timestamp header
    /// followed by the raw body, checked with the account's verification key (base64 DER SubjectPublicKeyInfo).
    /// </summary>
    public static bool SendGridValid(string publicKey, string? timestamp, ReadOnlySpan<byte> body, string? signature)
    {
        if (string.IsNullOrEmpty(publicKey) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            return false;
        }

        try
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(publicKey), out _);
            var signed = new byte[Encoding.UTF8.GetByteCount(timestamp) + body.Length];
            var written = Encoding.UTF8.GetBytes(timestamp, signed);
            body.CopyTo(signed.AsSpan(written));
            return ecdsa.VerifyData(signed, Convert.FromBase64String(signature), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return false;
        }
    }
}
