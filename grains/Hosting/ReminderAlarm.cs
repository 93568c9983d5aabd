namespace Recouvrement.Hosting;

/// <summary>
/// A grain's wake-up: an Orleans reminder, durable, for anything ahead; and for what falls due within
/// <see cref="Soon"/>, also a timer on the engine clock in this activation, which fires it on time.
/// </summary>
/// <remarks>
/// The reminder service skips a new reminder's first tick when it is already past by the time the reminder is
/// loaded, and waits a whole period for the next one (dotnet/orleans#9385, still in 10.4.2): a reminder registered
/// for "now" fired an hour late. So a due time already reached registers the reminder one period ahead, as the backup
/// should this activation be lost, and the timer does the work now. Handlers are idempotent, so a tick that comes
/// too (the reminder service may yet fire on time) does nothing twice.
/// </remarks>
public sealed class ReminderAlarm(IGrainBase grain, string name, TimeSpan period, TimeProvider clock, Func<Task> fire)
{
    /// <summary>Below this, the first tick of a new reminder may be missed: the local timer fires it.</summary>
    public static readonly TimeSpan Soon = TimeSpan.FromMinutes(1);

    private IGrainReminder? handle;

    /// <summary>When this activation last set the alarm for; null once stopped, or before it set it.</summary>
    public DateTimeOffset? ArmedFor { get; private set; }

    /// <summary>Fires at <paramref name="at"/> (at once when it has passed), then every period until <see cref="StopAsync"/>.</summary>
    public async Task SetAsync(DateTimeOffset at)
    {
        var due = at - clock.GetUtcNow();
        handle = await grain.RegisterOrUpdateReminder(name, due > TimeSpan.Zero ? due : period, period);
        ArmedFor = at;
        if (due < Soon)
        {
            _ = FireAfter(due > TimeSpan.Zero ? due : TimeSpan.Zero);
        }
    }

    private async Task FireAfter(TimeSpan due)
    {
        try
        {
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, clock);
            }

            await fire();
        }
        catch (Exception)
        {
            // The reminder, registered, fires it later.
        }
    }

    /// <summary>
    /// Removes the reminder with the handle this activation registered, which spares reading it back from the table;
    /// without one (another activation registered it), or should the handle be stale, it is read first.
    /// </summary>
    public async Task StopAsync()
    {
        var known = handle;
        handle = null;
        ArmedFor = null;
        if (known is not null)
        {
            try
            {
                await grain.UnregisterReminder(known);
                return;
            }
            catch (ReminderException)
            {
                // Moved since by someone else: read what the table holds now.
            }
        }

        if (await grain.GetReminder(name) is { } current)
        {
            await grain.UnregisterReminder(current);
        }
    }
}
