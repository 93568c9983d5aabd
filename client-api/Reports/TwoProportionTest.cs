namespace Recouvrement.Api.Reports;

/// <summary>
/// Whether two shares (say, of cases paid under the champion and under a challenger) differ by more than chance would
/// make them: the pooled two-proportion z-test, two-sided, without continuity correction (what R's
/// <c>prop.test(correct = FALSE)</c> gives).
/// </summary>
public static class TwoProportionTest
{
    /// <summary>
    /// The p-value of the difference between <paramref name="successesA"/>/<paramref name="trialsA"/> and
    /// <paramref name="successesB"/>/<paramref name="trialsB"/>; null when a group is empty or neither share can vary
    /// (all successes or none in both), where no test can tell anything.
    /// </summary>
    public static double? PValue(long successesA, long trialsA, long successesB, long trialsB)
    {
        if (trialsA <= 0 || trialsB <= 0 || successesA < 0 || successesB < 0 || successesA > trialsA || successesB > trialsB)
        {
            return null;
        }

        var pooled = (double)(successesA + successesB) / (trialsA + trialsB);
        var variance = pooled * (1 - pooled) * (1.0 / trialsA + 1.0 / trialsB);
        if (variance <= 0)
        {
            return null;
        }

        var z = ((double)successesA / trialsA - (double)successesB / trialsB) / Math.Sqrt(variance);
        return Math.Min(1.0, Complement(Math.Abs(z) / Math.Sqrt(2)));
    }

    /// <summary>
    /// erfc(x) for x ≥ 0, by Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7): written as a polynomial times
    /// exp(-x²), so that the small p-values of large differences keep their order of magnitude.
    /// </summary>
    private static double Complement(double x)
    {
        var t = 1.0 / (1.0 + 0.3275911 * x);
        var polynomial = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        return polynomial * Math.Exp(-x * x);
    }
}
