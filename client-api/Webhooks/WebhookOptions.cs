namespace Recouvrement.Api.Webhooks;

/// <summary>What the Twilio webhooks need, from <c>Recouvrement:Channels:Twilio</c> (the same keys the sender reads).</summary>
public sealed class TwilioWebhookOptions
{
    public string? AuthToken { get; set; }

    /// <summary>The public address Twilio calls; signatures are checked against it when set, else against the request's own URL.</summary>
    public string? WebhookBaseUrl { get; set; }
}

/// <summary>What the SendGrid Event Webhook needs, from <c>Recouvrement:Channels:SendGrid</c>.</summary>
public sealed class SendGridWebhookOptions
{
    public string? EventWebhookPublicKey { get; set; }

    public TimeSpan EventWebhookTolerance { get; set; } = TimeSpan.FromMinutes(10);
}
