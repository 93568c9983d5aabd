using System.Security.Cryptography;
using System.Text;

namespace Recouvrement.Api.Webhooks;

/// <summary>The providers' request-signing schemes, checked before anything in a webhook is read or acted on.</summary>
/// <remarks>Twilio's scheme is HMAC-SHA1 by its own definition; we verify it, we do not choose it.</remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "Twilio defines its request signature as HMAC-SHA1.")]
public static class WebhookSignatures
{
    /// <summary>
    /// Twilio's <c>X-Twilio-Signature</c>: base64 HMAC-SHA1, keyed with the auth token, of the full URL Twilio
    /// requested followed by every form field sorted by name, each as name then value. Twilio is not consistent
    /// about the default port, so the URL is also tried with it added (or removed).
    /// </summary>
    public static bool TwilioValid(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form, string? signature)
    {
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(authToken))
        {
            return false;
        }

        var fields = new StringBuilder();
        foreach (var group in form.GroupBy(f => f.Key, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            foreach (var value in group.Select(f => f.Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                fields.Append(group.Key).Append(value);
            }
        }

        byte[] expected;
        try
        {
            expected = Convert.FromBase64String(signature);
        }
        catch (FormatException)
        {
            return false;
        }

        var key = Encoding.UTF8.GetBytes(authToken);
        return UrlVariants(url).Any(u => CryptographicOperations.FixedTimeEquals(HMACSHA1.HashData(key, Encoding.UTF8.GetBytes(u + fields)), expected));
    }

    /// <summary>Signs like Twilio does; for tests and for tools that replay callbacks.</summary>
    public static string TwilioSign(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        var fields = string.Concat(form.OrderBy(f => f.Key, StringComparer.Ordinal).ThenBy(f => f.Value, StringComparer.Ordinal).Select(f => f.Key + f.Value));
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(url + fields)));
    }

    /// <summary>The URL as given, and with its port removed when it names one, or with the default port added when not.</summary>
    private static IEnumerable<string> UrlVariants(string url)
    {
        yield return url;
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            yield break;
        }

        var hostStart = schemeEnd + 3;
        var hostEnd = url.IndexOfAny(['/', '?'], hostStart);
        if (hostEnd < 0)
        {
            hostEnd = url.Length;
        }

        var authority = url[hostStart..hostEnd];
        var colon = authority.LastIndexOf(':');
        var port = url.StartsWith("https", StringComparison.OrdinalIgnoreCase) ? 443 : 80;
        var other = colon >= 0 && !authority.EndsWith(']')
            ? authority[..colon]
            : $"{authority}:{port}";
        yield return url[..hostStart] + other + url[hostEnd..];
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
