using Recouvrement.Payments;

namespace Recouvrement.Payments;

/// <summary>What a sandbox checkout session persists.</summary>
[GenerateSerializer, Alias("rc.CheckoutState")]
public sealed record CheckoutState
{
    [Id(0)] public CheckoutSession? Session { get; init; }
}

/// <summary>A sandbox checkout session: opened by the payment page, paid on the fake checkout page.</summary>
[CollectionAgeLimit(Minutes = 2)]
public sealed class CheckoutGrain(
    [PersistentState("checkout", StorageNames.Default)] IPersistentState<CheckoutState> state) : Grain, ICheckoutGrain
{
    public async Task Open(CheckoutSession session)
    {
        if (state.State.Session is not null)
        {
            return;
        }

        state.State = new CheckoutState { Session = session };
        await state.WriteStateAsync();
    }

    public Task<CheckoutSession?> Get() => Task.FromResult(state.State.Session);

    public async Task<CheckoutSession?> MarkPaid()
    {
        if (state.State.Session is not { } session)
        {
            return null;
        }

        if (!session.Paid)
        {
            state.State = new CheckoutState { Session = session with { Paid = true } };
            await state.WriteStateAsync();
        }

        return state.State.Session;
    }
}
