using Recouvrement.Calendar;

namespace Recouvrement.Cases;

/// <summary>
/// When a claim can no longer be collected: two years for a professional's claim on a consumer (Code de la consommation
/// L218-2), five otherwise (Code civil 2224), from the day the bill was payable or the debt was last acknowledged.
/// </summary>
public static class Prescription
{
    public static int Years(DebtorKind kind) => kind == DebtorKind.Consumer ? 2 : 5;

    /// <summary>The day the claim prescribes, counted from <paramref name="from"/> (the due date, or the last acknowledgement).</summary>
    public static DateOnly On(DateOnly from, DebtorKind kind) => from.AddYears(Years(kind));

    /// <summary>Whether a claim due on <paramref name="dueOn"/>, never acknowledged, is already prescribed on <paramref name="today"/>.</summary>
    public static bool IsPrescribed(DateOnly dueOn, DebtorKind kind, DateOnly today) => On(dueOn, kind) <= today;

    /// <summary>Today in Paris, the calendar the law counts in.</summary>
    public static DateOnly Today(TimeProvider clock) => ParisTime.DateOf(clock.GetUtcNow());
}
