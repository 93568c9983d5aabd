using System.ComponentModel.DataAnnotations;
using Recouvrement.Hosting;

namespace Recouvrement.Channels;

/// <summary>E-mail through SendGrid. Bound from <c>Recouvrement:Channels:SendGrid</c>; used when <see cref="ApiKey"/> is set.</summary>
public sealed class SendGridOptions : ProviderOptions
{
    public const string Section = "Recouvrement:Channels:SendGrid";

    public string? ApiKey { get; set; }

    public override string BaseUrl { get; set; } = "https://api.sendgrid.com";

    [Required, EmailAddress]
    public string FromEmail { get; set; } = "relances@example.org";

    public string? FromName { get; set; }

    /// <summary>The Event Webhook's verification key (base64 DER, from SendGrid's signed webhook settings).</summary>
    [Base64Key]
    public string? EventWebhookPublicKey { get; set; }

    /// <summary>How old a signed event batch may be. Default: 10 minutes.</summary>
    [Positive]
    public TimeSpan EventWebhookTolerance { get; set; } = TimeSpan.FromMinutes(10);

    public bool Enabled => !string.IsNullOrWhiteSpace(ApiKey);
}
