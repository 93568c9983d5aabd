namespace Recouvrement.Users;

/// <summary>What an address persists: the user it signs in as.</summary>
[GenerateSerializer, Alias("rc.UserAccountState")]
public sealed record UserAccountState
{
    [Id(0)] public UserAccount? Account { get; init; }
}

/// <summary>
/// One e-mail address: its binding to a user (stored), and its recent wrong passwords (kept in memory only, so that an
/// attacker trying addresses writes nothing; an activation idle for longer than its collection age forgets them, by
/// which time any delay has run out).
/// </summary>
[CollectionAgeLimit(Minutes = 30)]
public sealed class UserAccountGrain(
    [PersistentState("account", StorageNames.Default)] IPersistentState<UserAccountState> state) : Grain, IUserAccountGrain
{
    private int _failures;
    private DateTimeOffset _lastFailure;

    public async Task<bool> Bind(UserAccount account)
    {
        if (state.State.Account is { } bound)
        {
            return bound == account;
        }

        state.State = new UserAccountState { Account = account };
        await state.WriteStateAsync();
        return true;
    }

    public async Task Unbind(UserAccount account)
    {
        if (state.State.Account == account)
        {
            state.State = new UserAccountState();
            await state.WriteStateAsync();
        }
    }

    public Task<SignInGate> BeginSignIn(DateTimeOffset now, SignInThrottle rules) =>
        Task.FromResult(new SignInGate(state.State.Account, rules.Wait(_failures, _lastFailure, now)));

    public Task SignInFailed(DateTimeOffset now)
    {
        _failures++;
        _lastFailure = now;
        return Task.CompletedTask;
    }

    public Task SignInSucceeded()
    {
        _failures = 0;
        return Task.CompletedTask;
    }
}
