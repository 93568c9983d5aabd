namespace Recouvrement.Channels;

/// <summary>How a provider is paced and retried; shared by every provider's options.</summary>
public abstract class ProviderOptions
{
    /// <summary>The provider's API address, without a trailing slash; tests and proxies point it elsewhere.</summary>
    public abstract string BaseUrl { get; set; }

    /// <summary>At most this many requests per second from one silo. Default: 10.</summary>
    public double MessagesPerSecond { get; set; } = 10;

    /// <summary>How many times a send is tried while the provider answers 429 or 5xx. Default: 4.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The first wait before a retry; each next one doubles. Default: 1 second.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A provider asking to wait longer than this gets the message back in the debtor's queue instead. Default: 30 seconds.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one request may take; past it the message is in doubt and never sent again. Default: 30 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>E-mail through SendGrid. Bound from <c>Recouvrement:Channels:SendGrid</c>; used when <see cref="ApiKey"/> is set.</summary>
public sealed class SendGridOptions : ProviderOptions
{
    public string? ApiKey { get; set; }

    public override string BaseUrl { get; set; } = "https://api.sendgrid.com";

    public string FromEmail { get; set; } = "relances@example.org";

    public string? FromName { get; set; }

    /// <summary>The Event Webhook's verification key (base64 DER, from SendGrid's signed webhook settings).</summary>
    public string? EventWebhookPublicKey { get; set; }

    /// <summary>How old a signed event batch may be. Default: 10 minutes.</summary>
    public TimeSpan EventWebhookTolerance { get; set; } = TimeSpan.FromMinutes(10);

    public bool Enabled => !string.IsNullOrWhiteSpace(ApiKey);
}

/// <summary>SMS through Twilio's Messages API. Bound from <c>Recouvrement:Channels:Twilio</c>; used when <see cref="AccountSid"/> is set.</summary>
public sealed class TwilioOptions : ProviderOptions
{
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
    public string? WebhookBaseUrl { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(AccountSid);
}

/// <summary>Letters as PDF files for a print provider. Bound from <c>Recouvrement:Channels:Letters</c>.</summary>
public sealed class LetterOptions
{
    /// <summary>The folder letters are written to, one sub-folder per creditor. Default: <c>outbox/letters</c>.</summary>
    public string Path { get; set; } = System.IO.Path.Combine("outbox", "letters");

    /// <summary>A TrueType font for the letters' text; default: DejaVu Sans where Debian installs it.</summary>
    public string? FontPath { get; set; }

    public string? BoldFontPath { get; set; }

    /// <summary>
    /// How the print provider sends a formal notice — <c>simple</c>, <c>registered</c> (recommandé avec accusé de réception)
    /// or <c>electronic_registered</c> — written in its manifest and shown in the litigation dossier. Default: <c>registered</c>.
    /// </summary>
    public string FormalNoticeMode { get; set; } = "registered";
}
