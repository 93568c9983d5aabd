using System.ComponentModel.DataAnnotations;
using Recouvrement.Hosting;

namespace Recouvrement.Debtors;

/// <summary>How a debtor grain paces its contacts. Bound from <c>Recouvrement:Contact</c>.</summary>
public sealed class ContactOptions
{
    public const string Section = "Recouvrement:Contact";

    /// <summary>
    /// How long a debtor waits, once a send window is open, for other cases to join the same message.
    /// Default: 10 minutes.
    /// </summary>
    [NotNegative]
    public TimeSpan ConsolidationDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How many entries of its contact log a debtor keeps. Default: 200.</summary>
    [Range(1, 10_000)]
    public int ContactLogLength { get; set; } = 200;

    /// <summary>The sliding period the frequency caps count over. Default: 7 days.</summary>
    [Positive]
    public TimeSpan CapPeriod { get; set; } = TimeSpan.FromDays(7);

    /// <summary>At most this many SMS per debtor per <see cref="CapPeriod"/>. Default: 2.</summary>
    [NotNegative]
    public int MaxSmsPerPeriod { get; set; } = 2;

    /// <summary>At most this many e-mails per debtor per <see cref="CapPeriod"/>. Default: 3.</summary>
    [NotNegative]
    public int MaxEmailsPerPeriod { get; set; } = 3;

    /// <summary>
    /// The least time between two e-mail or SMS contacts of one debtor (the messages of one dispatch count as
    /// one contact). Letters are not held back: a formal notice is a legal step. Default: 2 days.
    /// </summary>
    [NotNegative]
    public TimeSpan MinimumGap { get; set; } = TimeSpan.FromDays(2);

    /// <summary>When a provider asks to retry without saying when, the dispatch is tried again after this. Default: 15 minutes.</summary>
    [Positive]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// At most this many debtors of one silo dispatch at once; the others wait their turn in memory, their reminder
    /// tick already answered. Default: 256.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxConcurrentDispatches { get; set; } = 256;

    /// <summary>
    /// At most this many debtors are texted at one phone number (across creditors); the others get no SMS at it, their
    /// phone shown as disabled (<c>shared_number</c>). A STOP from the number must reach every debtor texted there.
    /// Default: 20.
    /// </summary>
    [Positive]
    public int MaxDebtorsPerPhone { get; set; } = 20;

    public int MaxPerPeriod(Channel channel) => channel switch
    {
        Channel.Sms => MaxSmsPerPeriod,
        Channel.Email => MaxEmailsPerPeriod,
        _ => int.MaxValue,
    };
}
