namespace Recouvrement.Hosting;

/// <summary>
/// For a grain whose row another writer may create (the bulk intake): while the activation has found no record,
/// it reads again before each call after the first, which comes right after activation has just read.
/// </summary>
/// <remarks>
/// The grain-level form of <see cref="IWrittenByBulkIntake"/>, still used by <c>DebtorGrain</c>; once it implements
/// that interface instead (and drops its own <c>Invoke</c>), this file goes.
/// </remarks>
internal sealed class EmptyRecordCheck<T>(IPersistentState<T> state)
{
    private bool firstCall = true;

    public async Task ReadAgainBeforeCall()
    {
        if (!state.RecordExists && !firstCall)
        {
            await state.ReadStateAsync();
        }

        firstCall = false;
    }
}
