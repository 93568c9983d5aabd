namespace Recouvrement.Debtors;

/// <summary>What a phone number's grain persists: the debtors planned to be, or already, texted at it.</summary>
[GenerateSerializer, Alias("rc.PhoneNumberState")]
public sealed record PhoneNumberState
{
    [Id(0)] public ImmutableSortedSet<string> Debtors { get; init; } = [];
}

/// <summary>The debtors planned to be, or already, texted at one phone number, so that a STOP or START reply reaches all of them.</summary>
[CollectionAgeLimit(Minutes = 2)]
public sealed class PhoneNumberGrain(
    [PersistentState("phone", StorageNames.Default)] IPersistentState<PhoneNumberState> state) : Grain, IPhoneNumberGrain
{
    public async Task Add(string debtorKey)
    {
        if (state.State.Debtors.Contains(debtorKey))
        {
            return;
        }

        state.State = state.State with { Debtors = state.State.Debtors.Add(debtorKey) };
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<string>> Debtors() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Debtors]);
}
