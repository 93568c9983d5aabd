using Recouvrement.Hosting;

namespace Recouvrement.Api.Webhooks;

/// <summary>What the Twilio webhooks need, from <c>Recouvrement:Channels:Twilio</c> (the same keys the sender reads).</summary>
public sealed class TwilioWebhookOptions
{
    public const string Section = "Recouvrement:Channels:Twilio";

    public string? AuthToken { get; set; }

    /// <summary>The public address Twilio calls; signatures are checked against it when set, else against the request's own URL.</summary>
    [HttpAddress]
    public string? WebhookBaseUrl { get; set; }
}
