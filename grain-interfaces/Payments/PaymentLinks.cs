using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Recouvrement.Payments;

/// <summary>
/// Signed, expiring links that name one debtor and open nothing else:
/// <c>base64url(debtorKey|expiry) . base64url(HMAC-SHA256)</c>.
/// </summary>
public sealed class PaymentLinks
{
    private readonly PaymentLinkOptions _options;
    private readonly byte[] _signingKey;
    private readonly byte[][] _acceptedKeys;

    public PaymentLinks(IOptions<PaymentLinkOptions> options)
    {
        _options = options.Value;
        _signingKey = string.IsNullOrEmpty(_options.SigningKey)
            ? RandomNumberGenerator.GetBytes(32)
            : Convert.FromBase64String(_options.SigningKey);
        _acceptedKeys = [_signingKey, .. _options.PreviousSigningKeys.Select(Convert.FromBase64String)];
    }

    public string LinkFor(string debtorKey, DateTimeOffset now) => PageUrl(TokenFor(debtorKey, now));

    /// <summary>
    /// The debtor's page at the configured public address. Addresses a debtor is sent back to are built from it,
    /// never from the request's Host header, which whoever sends the request chooses.
    /// </summary>
    public string PageUrl(string token) => $"{_options.BaseUrl.TrimEnd('/')}/p/{token}";

    public string TokenFor(string debtorKey, DateTimeOffset now)
    {
        var payload = Encoding.UTF8.GetBytes($"{debtorKey}|{(now + _options.Lifetime).ToUnixTimeSeconds()}");
        return $"{Base64Url(payload)}.{Base64Url(HMACSHA256.HashData(_signingKey, payload))}";
    }

    /// <summary>The debtor key a token names, or null when it is forged, altered, expired or malformed.</summary>
    public string? Verify(string token, DateTimeOffset now)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            return null;
        }

        byte[] payload, signature;
        try
        {
            payload = FromBase64Url(token[..dot]);
            signature = FromBase64Url(token[(dot + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }

        if (!_acceptedKeys.Any(key => CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(key, payload), signature)))
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(payload);
        var bar = text.LastIndexOf('|');
        if (bar <= 0 || !long.TryParse(text[(bar + 1)..], out var expiry) || now.ToUnixTimeSeconds() > expiry)
        {
            return null;
        }

        return text[..bar];
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", 0 => string.Empty, _ => throw new FormatException() };
        return Convert.FromBase64String(padded);
    }
}
