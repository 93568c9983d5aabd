using Microsoft.Extensions.Logging;
using Recouvrement.Hosting;

namespace Recouvrement.Debtors;

/// <summary>
/// A debtor's retention timer: once its last case settled and <see cref="RetentionOptions.ClosedCaseDays"/> ran, its
/// personal data is erased (<see cref="DebtorErasure"/>), outside the grain's turns as an API request's erasure runs.
/// A day-long period retries an erasure that failed.
/// </summary>
internal sealed partial class RetentionTimer(IGrainBase grain, IGrainFactory grains, string debtorKey, TimeProvider clock, Func<DebtorState> state, ILogger logger)
{
    public const string Reminder = "retention";

    private ReminderAlarm? alarm;

    private ReminderAlarm Alarm => alarm ??= new(grain, Reminder, TimeSpan.FromDays(1), clock, Tick);

    public Task SetAsync(DateTimeOffset at) => Alarm.SetAsync(at);

    public Task StopAsync() => Alarm.StopAsync();

    public Task Tick()
    {
        var now = state();
        if (now.ForgetAt is null)
        {
            return StopAsync();
        }

        if (now is { OpenCases.IsEmpty: true, Details: not null } && now.ForgetAt <= clock.GetUtcNow())
        {
            var (creditorId, reference) = GrainKeys.Split(debtorKey);
            _ = Task.Run(async () =>
            {
                try
                {
                    await DebtorErasure.EraseAsync(grains, creditorId, reference, DebtorErasure.Retention);
                }
                catch (Exception e)
                {
                    LogRetentionFailed(logger, e);
                }
            });
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The erasure at the end of a debtor's retention period failed; it is tried again the next day")]
    private static partial void LogRetentionFailed(ILogger logger, Exception exception);
}
