using System.ComponentModel.DataAnnotations;
using Recouvrement.Hosting;

namespace Recouvrement.Channels;

/// <summary>How a provider is paced and retried; shared by every provider's options.</summary>
public abstract class ProviderOptions : IValidatableObject
{
    /// <summary>The provider's API address, without a trailing slash; tests and proxies point it elsewhere.</summary>
    [Required, HttpAddress]
    public abstract string BaseUrl { get; set; }

    /// <summary>At most this many requests per second from one silo; 0 does not pace them. Default: 10.</summary>
    [NotNegative]
    public double MessagesPerSecond { get; set; } = 10;

    /// <summary>How many times a send is tried while the provider answers 429 or 5xx. Default: 4.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The first wait before a retry; each next one doubles. Default: 1 second.</summary>
    [Positive]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A provider asking to wait longer than this gets the message back in the debtor's queue instead. Default: 30 seconds.</summary>
    [Positive]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one request may take; past it the message is in doubt and never sent again. Default: 30 seconds.</summary>
    [Positive]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public virtual IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxRetryDelay < RetryBaseDelay)
        {
            yield return new ValidationResult("must be at least RetryBaseDelay", [nameof(MaxRetryDelay)]);
        }
    }
}
