using Recouvrement.Hosting;

namespace Recouvrement.Channels;

/// <summary>SMS through Twilio's Messages API. Bound from <c>Recouvrement:Channels:Twilio</c>; used when <see cref="AccountSid"/> is set.</summary>
public sealed class TwilioOptions : ProviderOptions
{
    public const string Section = "Recouvrement:Channels:Twilio";

    public string? AccountSid { get; set; }

    public string? AuthToken { get; set; }

    /// <summary>The sender number or alphanumeric id; ignored when <see cref="MessagingServiceSid"/> is set.</summary>
    public string? From { get; set; }

    public string? MessagingServiceSid { get; set; }

    public override string BaseUrl { get; set; } = "https://api.twilio.com";

    /// <summary>
    /// The public address of the API that receives Twilio's webhooks, e.g. <c>https://pay.example.fr</c>. Status
    /// callbacks are asked for only when it is set, and signatures are checked against it (behind a proxy, the
    /// request's own address is not the one Twilio signed).
    /// </summary>
    [HttpAddress]
    public string? WebhookBaseUrl { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(AccountSid);
}
