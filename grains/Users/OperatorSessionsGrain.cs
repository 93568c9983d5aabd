namespace Recouvrement.Users;

/// <summary>What the operator's sessions persist.</summary>
[GenerateSerializer, Alias("rc.OperatorSessionsState")]
public sealed record OperatorSessionsState
{
    /// <summary>Sessions the operator keeps open at once; a new one beyond closes the oldest.</summary>
    public const int MaxSessions = 10;

    [Id(0)] public ImmutableList<UserSession> Sessions { get; init; } = [];
}

/// <summary>The operator's console sessions: like a user's, stored as hashes, each with a latest end.</summary>
public sealed class OperatorSessionsGrain(
    [PersistentState("operatorsessions", StorageNames.Default)] IPersistentState<OperatorSessionsState> state) : Grain, IOperatorSessionsGrain
{
    public async Task Start(string sessionHash, DateTimeOffset now, DateTimeOffset expiresAt)
    {
        var sessions = state.State.Sessions.RemoveAll(s => s.ExpiresAt <= now).Add(new UserSession(sessionHash, now, expiresAt));
        if (sessions.Count > OperatorSessionsState.MaxSessions)
        {
            sessions = sessions.RemoveRange(0, sessions.Count - OperatorSessionsState.MaxSessions);
        }

        state.State = new OperatorSessionsState { Sessions = sessions };
        await state.WriteStateAsync();
    }

    public Task<bool> Check(string sessionHash, DateTimeOffset now) =>
        Task.FromResult(state.State.Sessions.Exists(s => s.Hash == sessionHash && now < s.ExpiresAt));

    public async Task End(string sessionHash)
    {
        if (state.State.Sessions.Exists(s => s.Hash == sessionHash))
        {
            state.State = new OperatorSessionsState { Sessions = state.State.Sessions.RemoveAll(s => s.Hash == sessionHash) };
            await state.WriteStateAsync();
        }
    }
}
