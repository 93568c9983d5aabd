using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Recouvrement.Payments;

namespace Recouvrement.Webhooks;

/// <summary>
/// The subscriptions' signing secrets: made here, shown once, and kept only sealed (AES-256-GCM, bound to the
/// subscription they belong to, so a sealed secret copied to another subscription does not open). We must sign with
/// a secret, so it cannot be hashed like an API key; sealing it keeps it out of the database, its dumps and backups.
/// </summary>
/// <remarks>
/// The key is <see cref="CreditorWebhookOptions.SecretKey"/>, else one derived from the payment links' signing key
/// (which a durable process cannot start without), whose previous keys are tried too so that rotating it keeps
/// webhooks working. Every configured key goes through HKDF with a label of its own, so the same bytes never serve two
/// purposes.
/// </remarks>
public sealed class WebhookSecrets
{
    private const string Version = "v1.";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] Label = Encoding.UTF8.GetBytes("recouvrement webhook secrets v1");

    private readonly byte[] sealingKey;
    private readonly byte[][] openingKeys;

    public WebhookSecrets(IOptions<CreditorWebhookOptions> options, IOptions<PaymentLinkOptions> links)
    {
        byte[][] sources = !string.IsNullOrEmpty(options.Value.SecretKey)
            ? [Convert.FromBase64String(options.Value.SecretKey)]
            : !string.IsNullOrEmpty(links.Value.SigningKey)
                ? [Convert.FromBase64String(links.Value.SigningKey), .. links.Value.PreviousSigningKeys.Select(Convert.FromBase64String)]
                : [RandomNumberGenerator.GetBytes(32)];
        openingKeys = [.. sources.Select(k => HKDF.DeriveKey(HashAlgorithmName.SHA256, k, 32, salt: [], info: Label))];
        sealingKey = openingKeys[0];
    }

    /// <summary>A new secret: 32 random bytes, base64url, with a prefix that says what it is.</summary>
    public static string NewSecret() =>
        "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The secret sealed for the subscription <paramref name="owner"/> (<c>{creditorId}/{id}</c>).</summary>
    public string Seal(string secret, string owner)
    {
        var plain = Encoding.UTF8.GetBytes(secret);
        var sealedBytes = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(sealingKey, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length), Encoding.UTF8.GetBytes(owner));
        return Version + Convert.ToBase64String(sealedBytes);
    }

    /// <summary>The secret's bytes, the HMAC key deliveries are signed with; throws when no key of this process opens it.</summary>
    public byte[] Open(string sealedSecret, string owner)
    {
        if (!sealedSecret.StartsWith(Version, StringComparison.Ordinal))
        {
            throw new CryptographicException("not a sealed webhook secret");
        }

        var bytes = Convert.FromBase64String(sealedSecret[Version.Length..]);
        var length = bytes.Length - NonceSize - TagSize;
        if (length < 0)
        {
            throw new CryptographicException("not a sealed webhook secret");
        }

        var plain = new byte[length];
        foreach (var key in openingKeys)
        {
            try
            {
                using var aes = new AesGcm(key, TagSize);
                aes.Decrypt(bytes.AsSpan(0, NonceSize), bytes.AsSpan(NonceSize, length), bytes.AsSpan(NonceSize + length), plain, Encoding.UTF8.GetBytes(owner));
                return plain;
            }
            catch (AuthenticationTagMismatchException)
            {
                // Sealed with another key (one rotated out, or a key this process lacks): try the next one.
            }
        }

        throw new CryptographicException("the webhook secret was sealed with a key this process does not hold (Recouvrement:Webhooks:SecretKey, or the payment links' signing key it derives from, changed)");
    }
}
