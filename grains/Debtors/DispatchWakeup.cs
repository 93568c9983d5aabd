using Recouvrement.Hosting;

namespace Recouvrement.Debtors;

/// <summary>
/// A debtor's dispatch wake-up: its reminder (<see cref="ReminderAlarm"/>, durable), and the dispatch it starts on the
/// silo's <see cref="DispatchRunner"/>, one at a time per activation. A tick during a dispatch is answered by it; a
/// wake-up set during one (its own next round, due at once) runs right after it.
/// </summary>
internal sealed class DispatchWakeup
{
    public const string Reminder = "dispatch";

    private readonly ReminderAlarm alarm;
    private readonly DispatchRunner runner;
    private readonly string debtorKey;
    private bool running;
    private bool again;

    public DispatchWakeup(IGrainBase grain, TimeProvider clock, DispatchRunner runner, string debtorKey)
    {
        this.runner = runner;
        this.debtorKey = debtorKey;
        alarm = new ReminderAlarm(grain, Reminder, DebtorDecisions.RetryPeriod, clock, () =>
        {
            Start(orAfterTheCurrentOne: true);
            return Task.CompletedTask;
        });
    }

    /// <summary>When this activation last set the wake-up for; null once stopped, or before it set it.</summary>
    public DateTimeOffset? ArmedFor => alarm.ArmedFor;

    public Task SetAsync(DateTimeOffset at) => alarm.SetAsync(at);

    public Task StopAsync() => alarm.StopAsync();

    /// <summary>The reminder ticked: the dispatch starts, unless one is running.</summary>
    public void Ticked() => Start(orAfterTheCurrentOne: false);

    /// <summary>
    /// A dispatch found nothing to send now: a tick with nothing waiting removes the reminder, so that it ticks no more;
    /// a tick before the time planned puts the reminder back on it.
    /// </summary>
    public Task NotYetAsync(DateTimeOffset? wakeAt, DateTimeOffset? planned) =>
        wakeAt is not { } at ? StopAsync() : at == planned ? SetAsync(at) : Task.CompletedTask;

    private void Start(bool orAfterTheCurrentOne)
    {
        if (running)
        {
            again |= orAfterTheCurrentOne;
            return;
        }

        running = true;
        _ = Run();
    }

    private async Task Run()
    {
        try
        {
            do
            {
                again = false;
                await Task.Run(() => runner.RunAsync(debtorKey));
            }
            while (again);
        }
        finally
        {
            running = false;
        }
    }
}
