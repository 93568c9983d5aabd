using Recouvrement.Hosting;

namespace Recouvrement.Api.Webhooks;

/// <summary>What the SendGrid Event Webhook needs, from <c>Recouvrement:Channels:SendGrid</c> (the same keys the sender reads).</summary>
public sealed class SendGridWebhookOptions
{
    public const string Section = "Recouvrement:Channels:SendGrid";

    /// <summary>The Event Webhook's verification key (base64 DER, from SendGrid's signed webhook settings).</summary>
    [Base64Key]
    public string? EventWebhookPublicKey { get; set; }

    /// <summary>How old a signed event batch may be. Default: 10 minutes.</summary>
    [Positive]
    public TimeSpan EventWebhookTolerance { get; set; } = TimeSpan.FromMinutes(10);
}
