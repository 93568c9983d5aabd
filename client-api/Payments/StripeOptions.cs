using System.ComponentModel.DataAnnotations;
using Recouvrement.Hosting;

namespace Recouvrement.Api.Payments;

/// <summary>Card payments through Stripe Checkout. Bound from <c>Recouvrement:Payments:Stripe</c>; used when <see cref="SecretKey"/> is set.</summary>
public sealed class StripeOptions
{
    public const string Section = "Recouvrement:Payments:Stripe";

    public string? SecretKey { get; set; }

    /// <summary>Stripe's API address; tests and proxies point it elsewhere. Default: <c>https://api.stripe.com</c>.</summary>
    [Required, HttpAddress]
    public string ApiBase { get; set; } = "https://api.stripe.com";

    /// <summary>The endpoint's signing secret (<c>whsec_…</c>) that <c>Stripe-Signature</c> is checked with.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>How old a signed event may be. Default: 5 minutes, as Stripe's own libraries.</summary>
    [Positive]
    public TimeSpan WebhookTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one request to Stripe may take. Default: 30 seconds.</summary>
    [Positive]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool Enabled => !string.IsNullOrWhiteSpace(SecretKey);
}
