using Recouvrement.Hosting;

namespace Recouvrement.Silo.Hosting;

/// <summary>
/// <c>Recouvrement:Reminders</c>, in engine time: how often each silo rereads its share of the reminder table and how
/// far ahead it loads what falls due (Orleans' <c>RefreshReminderListPeriod</c> and <c>ReminderLoadingWindow</c>).
/// A reminder written behind the service's back (bulk intake) is seen at the next reread, so bulk intake sets a first
/// step already due one period plus one window ahead. Defaults: Orleans' (5 and 10 minutes); with a scaled clock the
/// period is at least about a real second, and the window twice the period.
/// </summary>
public sealed class ReminderTiming
{
    public const string Section = "Recouvrement:Reminders";

    [Positive]
    public TimeSpan? RefreshPeriod { get; set; }

    [Positive]
    public TimeSpan? LoadingWindow { get; set; }
}
