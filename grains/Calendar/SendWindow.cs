namespace Recouvrement.Calendar;

/// <summary>
/// When a debtor may be contacted: Monday to Saturday, 08:00 to 20:00 Europe/Paris, never on a
/// French public holiday (the operators' rule for commercial SMS, applied to every collection message).
/// </summary>
public static class SendWindow
{
    public static readonly TimeOnly Opens = new(8, 0);
    public static readonly TimeOnly Closes = new(20, 0);

    /// <summary>Alsace-Moselle (départements 57, 67, 68) keeps two more holidays.</summary>
    public static bool IsAlsaceMoselle(string? postalCode) =>
        postalCode is { Length: 5 } && (postalCode.StartsWith("57", StringComparison.Ordinal)
            || postalCode.StartsWith("67", StringComparison.Ordinal) || postalCode.StartsWith("68", StringComparison.Ordinal));

    public static bool IsOpen(DateTimeOffset instant, bool alsaceMoselle = false)
    {
        var local = ParisTime.ToParis(instant);
        var time = TimeOnly.FromDateTime(local.DateTime);
        return IsContactDay(DateOnly.FromDateTime(local.DateTime), alsaceMoselle) && time >= Opens && time < Closes;
    }

    /// <summary>The instant itself when the window is open, otherwise the next opening.</summary>
    public static DateTimeOffset NextOpening(DateTimeOffset instant, bool alsaceMoselle = false)
    {
        if (IsOpen(instant, alsaceMoselle))
        {
            return instant;
        }

        var local = ParisTime.ToParis(instant);
        var day = DateOnly.FromDateTime(local.DateTime);
        if (TimeOnly.FromDateTime(local.DateTime) >= Opens)
        {
            day = day.AddDays(1);
        }

        while (!IsContactDay(day, alsaceMoselle))
        {
            day = day.AddDays(1);
        }

        return ParisTime.At(day, Opens);
    }

    private static bool IsContactDay(DateOnly day, bool alsaceMoselle) =>
        day.DayOfWeek != DayOfWeek.Sunday && !FrenchPublicHolidays.IsHoliday(day, alsaceMoselle);
}
