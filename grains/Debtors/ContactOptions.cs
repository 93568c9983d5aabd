namespace Recouvrement.Debtors;

/// <summary>How a debtor grain paces its contacts. Bound from <c>Recouvrement:Contact</c>.</summary>
public sealed class ContactOptions
{
    /// <summary>
    /// How long a debtor waits, once a send window is open, for other cases to join the same message.
    /// Default: 10 minutes.
    /// </summary>
    public TimeSpan ConsolidationDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How many entries of its contact log a debtor keeps. Default: 200.</summary>
    public int ContactLogLength { get; set; } = 200;
}
