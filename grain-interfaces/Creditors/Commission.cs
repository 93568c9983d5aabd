using System.Collections.Immutable;

namespace Recouvrement.Creditors;

/// <summary>The agency's commission on a creditor's recoveries, in percent, from an instant (engine time) on.</summary>
[GenerateSerializer, Immutable, Alias("rc.CommissionRate")]
public sealed record CommissionRate(
    [property: Id(0)] DateTimeOffset From,
    [property: Id(1)] decimal Percent);

/// <summary>
/// A creditor's commission rates over time, oldest first: a payment is charged the rate in force when it was recorded,
/// so that changing the rate never changes a statement already issued.
/// </summary>
public static class CommissionRates
{
    /// <summary>The highest rate the operator may set.</summary>
    public const decimal MaxPercent = 100m;

    /// <summary>The rate in force at <paramref name="at"/>: the last one from before or at it; 0 before the first.</summary>
    public static decimal At(IReadOnlyList<CommissionRate>? rates, DateTimeOffset at)
    {
        var percent = 0m;
        foreach (var rate in rates ?? [])
        {
            if (rate.From > at)
            {
                break;
            }

            percent = rate.Percent;
        }

        return percent;
    }

    /// <summary>The rates with <paramref name="percent"/> in force from <paramref name="from"/> on (a later rate set earlier is dropped).</summary>
    public static ImmutableList<CommissionRate> With(IReadOnlyList<CommissionRate>? rates, decimal percent, DateTimeOffset from) =>
        [.. (rates ?? []).Where(r => r.From < from), new CommissionRate(from, percent)];
}
