namespace Recouvrement.Hosting;

/// <summary>
/// For a grain whose row another writer may create (the bulk intake): while the activation has found no record,
/// it reads again before each call after the first, which comes right after activation has just read.
/// </summary>
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
