using Recouvrement.Calendar;

namespace Recouvrement.Tests.Domain;

public class CalendarTests
{
    [Theory]
    [InlineData(2024, 3, 31)]
    [InlineData(2025, 4, 20)]
    [InlineData(2026, 4, 5)]
    [InlineData(2027, 3, 28)]
    [InlineData(2038, 4, 25)]
    public void Easter_Sunday_is_computed(int year, int month, int day) =>
        Assert.Equal(new DateOnly(year, month, day), FrenchPublicHolidays.EasterSunday(year));

    [Fact]
    public void Easter_Monday_2027_is_29_March() => Assert.True(FrenchPublicHolidays.IsHoliday(new DateOnly(2027, 3, 29)));

    [Fact]
    public void Whit_Monday_2026_is_25_May() => Assert.True(FrenchPublicHolidays.IsHoliday(new DateOnly(2026, 5, 25)));

    [Fact]
    public void The_eleven_national_holidays_of_2026_are_exactly_these()
    {
        DateOnly[] expected =
        [
            new(2026, 1, 1), new(2026, 4, 6), new(2026, 5, 1), new(2026, 5, 8), new(2026, 5, 14), new(2026, 5, 25),
            new(2026, 7, 14), new(2026, 8, 15), new(2026, 11, 1), new(2026, 11, 11), new(2026, 12, 25),
        ];
        Assert.Equal(expected, FrenchPublicHolidays.Of(2026).Order());
    }

    [Fact]
    public void Alsace_Moselle_adds_Good_Friday_and_26_December()
    {
        Assert.False(FrenchPublicHolidays.IsHoliday(new DateOnly(2026, 4, 3)));
        Assert.True(FrenchPublicHolidays.IsHoliday(new DateOnly(2026, 4, 3), alsaceMoselle: true));
        Assert.True(FrenchPublicHolidays.IsHoliday(new DateOnly(2026, 12, 26), alsaceMoselle: true));
        Assert.Equal(13, FrenchPublicHolidays.Of(2026, alsaceMoselle: true).Count);
    }

    public static TheoryData<string, string, string> Openings => new()
    {
        // Paris wall clock in, Paris wall clock out.
        { "reminder due on Sunday 20:30 goes out Monday 08:00", "2026-11-22 20:30", "2026-11-23 08:00" },
        { "inside the window it goes at once", "2026-11-24 10:15", "2026-11-24 10:15" },
        { "before 08:00 it waits for 08:00 the same day", "2026-11-24 06:59", "2026-11-24 08:00" },
        { "20:00 is already closed", "2026-11-24 20:00", "2026-11-25 08:00" },
        { "Saturday is a contact day", "2026-11-28 09:00", "2026-11-28 09:00" },
        { "Saturday evening waits for Monday", "2026-11-28 21:00", "2026-11-30 08:00" },
        { "Armistice day is skipped", "2026-11-10 22:00", "2026-11-12 08:00" },
        { "Christmas Friday then Sunday: Saturday 26", "2026-12-24 20:30", "2026-12-26 08:00" },
        { "Easter Monday 2027 is skipped", "2027-03-27 20:30", "2027-03-30 08:00" },
        { "summer time, 8:00 local is 06:00 UTC", "2026-07-01 05:00", "2026-07-01 08:00" },
    };

    [Theory]
    [MemberData(nameof(Openings))]
    public void Send_window_opens_when_the_rules_say(string why, string at, string expected)
    {
        var instant = Parse(at);
        Assert.True(Parse(expected) == SendWindow.NextOpening(instant), why);
    }

    [Fact]
    public void Eight_o_clock_in_winter_is_seven_UTC() =>
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.Zero), Parse("2026-11-23 08:00").ToUniversalTime());

    [Fact]
    public void Alsace_Moselle_debtors_are_not_contacted_on_26_December()
    {
        Assert.Equal(Parse("2026-12-26 08:00"), SendWindow.NextOpening(Parse("2026-12-25 12:00")));
        Assert.Equal(Parse("2026-12-28 08:00"), SendWindow.NextOpening(Parse("2026-12-25 12:00"), alsaceMoselle: true));
        Assert.True(SendWindow.IsAlsaceMoselle("67000"));
        Assert.False(SendWindow.IsAlsaceMoselle("69003"));
    }

    private static DateTimeOffset Parse(string paris)
    {
        var local = DateTime.ParseExact(paris, "yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        return ParisTime.At(DateOnly.FromDateTime(local), TimeOnly.FromDateTime(local));
    }
}
