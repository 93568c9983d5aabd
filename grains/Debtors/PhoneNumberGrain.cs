namespace Recouvrement.Debtors;

/// <summary>What a phone number's grain persists: the debtors planned to be, or already, texted at it.</summary>
[GenerateSerializer, Alias("rc.PhoneNumberState")]
public sealed record PhoneNumberState
{
    [Id(0)] public ImmutableSortedSet<string> Debtors { get; init; } = [];
}

/// <summary>
/// The debtors planned to be, or already, texted at one phone number, so that a STOP or START reply reaches all of
/// them. A number shared by more than <see cref="ContactOptions.MaxDebtorsPerPhone"/> debtors takes no more: it is a
/// switchboard or a placeholder rather than someone's mobile, and its state, rewritten at every registration and read
/// for every reply, stays bounded.
/// </summary>
[CollectionAgeLimit(Minutes = 2)]
public sealed class PhoneNumberGrain(
    [PersistentState("phone", StorageNames.Default)] IPersistentState<PhoneNumberState> state,
    Microsoft.Extensions.Options.IOptions<ContactOptions> options) : Grain, IPhoneNumberGrain
{
    public async Task<bool> Add(string debtorKey)
    {
        if (state.State.Debtors.Contains(debtorKey))
        {
            return true;
        }

        if (state.State.Debtors.Count >= options.Value.MaxDebtorsPerPhone)
        {
            return false;
        }

        state.State = state.State with { Debtors = state.State.Debtors.Add(debtorKey) };
        await state.WriteStateAsync();
        return true;
    }

    public Task<IReadOnlyList<string>> Debtors() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Debtors]);

    public async Task Remove(string debtorKey)
    {
        if (state.State.Debtors.Contains(debtorKey))
        {
            state.State = state.State with { Debtors = state.State.Debtors.Remove(debtorKey) };
            await state.WriteStateAsync();
        }
    }
}
