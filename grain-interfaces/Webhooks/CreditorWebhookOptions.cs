using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection;
using Recouvrement.Hosting;

namespace Recouvrement.Webhooks;

/// <summary>
/// The creditors' signed webhooks (<c>/api/v1/webhooks</c>): which targets are accepted, how deliveries are timed and
/// retried, how their secrets are kept. Bound from <c>Recouvrement:Webhooks</c>, by the silos (which deliver) and by
/// the API processes (which validate new subscriptions).
/// </summary>
public sealed class CreditorWebhookOptions : IValidatableObject
{
    public const string Section = "Recouvrement:Webhooks";

    /// <summary>
    /// Accept targets in private, loopback, link-local and unique-local ranges, and plain <c>http</c> URLs. For tests and
    /// development only: it lets a creditor make the engine call inside its own network. Default: false.
    /// </summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>Subscriptions a creditor may hold at once. Default: 10.</summary>
    [Range(1, 100)]
    public int MaxSubscriptions { get; set; } = 10;

    /// <summary>How long one delivery may take (connection, request and answer) before it counts as failed. Default: 10 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The wait after an event's first failed delivery; it doubles after each failure. Default: 5 seconds.</summary>
    [Positive]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between two attempts, also the most a <c>Retry-After</c> is honoured. Default: 1 hour.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long one event may keep failing (engine time) before its subscription is disabled. Default: 3 days.</summary>
    [Positive]
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(3);

    /// <summary>
    /// The period of each subscription's reminder: the durable backup of the wake-up the event stream gives within a
    /// second, should that be lost (a silo stopped between). At least 1 minute (Orleans' least reminder period). Default: 5 minutes.
    /// </summary>
    [AtLeast("00:01:00")]
    public TimeSpan WakeUpInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Deliveries one subscription has in flight at once, each to a different case (a case's events go one after the
    /// other, in order). 1 sends every event after the previous one. Default: 16.
    /// </summary>
    [Range(1, 256)]
    public int Concurrency { get; set; } = 16;

    /// <summary>Delivery attempts each subscription keeps for <c>GET /api/v1/webhooks/{id}/deliveries</c>. Default: 100.</summary>
    [Range(1, 1000)]
    public int DeliveryLogSize { get; set; } = 100;

    /// <summary>
    /// The key (base64, at least 32 bytes) the subscriptions' secrets are encrypted with at rest (AES-256-GCM). Default:
    /// none, and a key is derived from <c>Recouvrement:PaymentLinks:SigningKey</c> (a random one per process when that
    /// is unset too, as in the embedded default, whose state dies with the process anyway).
    /// </summary>
    [Base64Key(32)]
    public string? SecretKey { get; set; }

    /// <summary>Binds the options and checks them at start-up (a silo with the API mapped in calls this twice, to the same effect).</summary>
    public static void Register(IServiceCollection services) => services.AddValidatedOptions<CreditorWebhookOptions>(Section);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RetryBaseDelay > MaxRetryDelay)
        {
            yield return new ValidationResult("must be at most MaxRetryDelay", [nameof(RetryBaseDelay)]);
        }
    }
}
