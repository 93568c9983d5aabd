namespace Recouvrement.Debtors;

/// <summary>
/// A debtor's two timers, which follow its state: the dispatch wake-up its <see cref="DebtorState.DispatchAt"/> (a
/// round in flight keeps the reminder that started it, and its end sets the next), the retention timer its
/// <see cref="DebtorState.ForgetAt"/>. Each is set before the write that needs it and stopped after: a wake-up with
/// nothing to do is harmless, a write without one is not.
/// </summary>
internal sealed class DebtorTimers(DispatchWakeup dispatch, RetentionTimer retention)
{
    public DispatchWakeup Dispatch => dispatch;

    public RetentionTimer Retention => retention;

    public async Task BeforeWriteAsync(DebtorState before, DebtorState next)
    {
        if (next.DispatchAt is { } dispatchAt && dispatchAt != dispatch.ArmedFor && next.InFlight.IsEmpty)
        {
            await dispatch.SetAsync(dispatchAt);
        }

        if (next.ForgetAt is { } forgetAt && forgetAt != before.ForgetAt)
        {
            await retention.SetAsync(forgetAt);
        }
    }

    public async Task AfterWriteAsync(DebtorState before, DebtorState next)
    {
        if (next.DispatchAt is null && (before.DispatchAt is not null || dispatch.ArmedFor is not null))
        {
            await dispatch.StopAsync();
        }

        if (next.ForgetAt is null && before.ForgetAt is not null)
        {
            await retention.StopAsync();
        }
    }
}
