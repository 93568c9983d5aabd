using System.ComponentModel.DataAnnotations;
using Recouvrement.Hosting;

namespace Recouvrement.Payments;

/// <summary>How payment links are built and signed. Bound from <c>Recouvrement:PaymentLinks</c>.</summary>
public sealed class PaymentLinkOptions
{
    public const string Section = "Recouvrement:PaymentLinks";

    /// <summary>The public address debtors open, without a trailing slash. Default: <c>http://localhost:5080</c>.</summary>
    [Required, HttpAddress]
    public string BaseUrl { get; set; } = "http://localhost:5080";

    /// <summary>
    /// The HMAC key (base64, at least 32 bytes) that signs new links. When empty, a random key is made at
    /// start-up and links die with the process: fine for the embedded default, never for production.
    /// </summary>
    [Base64Key]
    public string? SigningKey { get; set; }

    /// <summary>Older keys still accepted when verifying, so a key can be rotated without breaking links sent.</summary>
    [Base64Key]
    public List<string> PreviousSigningKeys { get; } = [];

    /// <summary>How long a link stays valid. Default: 60 days, longer than the default schedule.</summary>
    [Positive]
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(60);
}
