using System.ComponentModel.DataAnnotations;

namespace Recouvrement.Debtors;

/// <summary>How long personal data is kept once a debtor has nothing left to collect. Bound from <c>Recouvrement:Retention</c>.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Recouvrement:Retention";

    /// <summary>
    /// Days after a debtor's last case was paid, closed or cancelled before the debtor's and its cases' personal data is
    /// erased (amounts, dates and references stay, for accounting). Long enough for a late dispute, a complaint or a
    /// payment to reconcile; no longer than that purpose needs. A new case fed in the meantime stops the count.
    /// Default: 365.
    /// </summary>
    [Range(1, 3650)]
    public int ClosedCaseDays { get; set; } = 365;

    public TimeSpan ClosedCaseRetention => TimeSpan.FromDays(ClosedCaseDays);
}
