namespace Recouvrement.Imports;

/// <summary>What a creditor's import history persists.</summary>
[GenerateSerializer, Alias("rc.CreditorImportsState")]
public sealed record CreditorImportsState
{
    /// <summary>Newest first.</summary>
    [Id(0)] public ImmutableList<ImportRecord> Imports { get; init; } = [];
}

/// <summary>A creditor's import history: a short list, written once per import, read by the console and the API.</summary>
public sealed class CreditorImportsGrain(
    [PersistentState("imports", StorageNames.Default)] IPersistentState<CreditorImportsState> state) : Grain, ICreditorImportsGrain
{
    public async Task Record(ImportRecord import)
    {
        if (state.State.Imports.Exists(i => i.Id == import.Id))
        {
            return;
        }

        var imports = state.State.Imports.Insert(0, import);
        state.State = state.State with { Imports = imports.Count > ICreditorImportsGrain.MaxKept ? imports.RemoveRange(ICreditorImportsGrain.MaxKept, imports.Count - ICreditorImportsGrain.MaxKept) : imports };
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<ImportRecord>> List() => Task.FromResult<IReadOnlyList<ImportRecord>>(state.State.Imports);
}
