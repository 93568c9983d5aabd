namespace Recouvrement.Calendar;

/// <summary>French public holidays (jours fériés), computed for any year, Easter-based ones included.</summary>
public static class FrenchPublicHolidays
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int Year, bool AlsaceMoselle), IReadOnlySet<DateOnly>> Years = new();

    /// <summary>Western (Gregorian) Easter Sunday, by the anonymous Gregorian computus.</summary>
    public static DateOnly EasterSunday(int year)
    {
        var a = year % 19;
        var b = year / 100;
        var c = year % 100;
        var d = b / 4;
        var e = b % 4;
        var f = (b + 8) / 25;
        var g = (b - f + 1) / 3;
        var h = ((19 * a) + b - d - g + 15) % 30;
        var i = c / 4;
        var k = c % 4;
        var l = (32 + (2 * e) + (2 * i) - h - k) % 7;
        var m = (a + (11 * h) + (22 * l)) / 451;
        var month = (h + l - (7 * m) + 114) / 31;
        var day = ((h + l - (7 * m) + 114) % 31) + 1;
        return new DateOnly(year, month, day);
    }

    /// <summary>The holidays of a year; Alsace-Moselle adds Good Friday and 26 December.</summary>
    public static IReadOnlySet<DateOnly> Of(int year, bool alsaceMoselle = false) =>
        Years.GetOrAdd((year, alsaceMoselle), key => Compute(key.Year, key.AlsaceMoselle));

    public static bool IsHoliday(DateOnly date, bool alsaceMoselle = false) => Of(date.Year, alsaceMoselle).Contains(date);

    private static HashSet<DateOnly> Compute(int year, bool alsaceMoselle)
    {
        var easter = EasterSunday(year);
        var days = new HashSet<DateOnly>
        {
            new(year, 1, 1),
            easter.AddDays(1),   // lundi de Pâques
            new(year, 5, 1),
            new(year, 5, 8),
            easter.AddDays(39),  // Ascension
            easter.AddDays(50),  // lundi de Pentecôte
            new(year, 7, 14),
            new(year, 8, 15),
            new(year, 11, 1),
            new(year, 11, 11),
            new(year, 12, 25),
        };
        if (alsaceMoselle)
        {
            days.Add(easter.AddDays(-2)); // Vendredi saint
            days.Add(new DateOnly(year, 12, 26));
        }

        return days;
    }
}
