namespace Recouvrement.Users;

/// <summary>What the creditor directory persists: every onboarded creditor's id.</summary>
[GenerateSerializer, Alias("rc.CreditorDirectoryState")]
public sealed record CreditorDirectoryState
{
    [Id(0)] public ImmutableSortedSet<string> Ids { get; init; } = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);
}

/// <summary>The list of creditors the operator console shows; written once per onboarding.</summary>
public sealed class CreditorDirectoryGrain(
    [PersistentState("creditors", StorageNames.Default)] IPersistentState<CreditorDirectoryState> state) : Grain, ICreditorDirectoryGrain
{
    public async Task Add(string creditorId)
    {
        if (!state.State.Ids.Contains(creditorId))
        {
            state.State = new CreditorDirectoryState { Ids = state.State.Ids.Add(creditorId) };
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> List() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Ids]);
}
