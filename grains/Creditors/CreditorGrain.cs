namespace Recouvrement.Creditors;

/// <summary>What a creditor persists.</summary>
[GenerateSerializer, Alias("rc.CreditorState")]
public sealed record CreditorState
{
    [Id(0)] public CreditorProfile? Profile { get; init; }
    [Id(1)] public DunningPolicy? Policy { get; init; }
    [Id(2)] public CreditorSettings? Settings { get; init; }
    [Id(3)] public LitigationHistory? Litigation { get; init; }
}

/// <summary>A creditor: its profile and the dunning policy its cases follow.</summary>
public sealed class CreditorGrain(
    [PersistentState("creditor", StorageNames.Default)] IPersistentState<CreditorState> state,
    [Microsoft.Extensions.DependencyInjection.FromKeyedServices(EngineClock.Key)] TimeProvider clock) : Grain, ICreditorGrain
{
    public async Task<bool> Onboard(string name)
    {
        if (state.State.Profile is not null)
        {
            return false;
        }

        state.State = state.State with { Profile = new CreditorProfile(this.GetPrimaryKeyString(), name, clock.GetUtcNow()) };
        await state.WriteStateAsync();
        await GrainFactory.Reference<Users.ICreditorDirectoryGrain>(Users.ICreditorDirectoryGrain.SingletonKey).Add(this.GetPrimaryKeyString());
        return true;
    }

    public Task<CreditorProfile?> GetProfile() => Task.FromResult(state.State.Profile);

    public async Task<CreditorProfile?> UpdateProfile(string? name, decimal? commissionPercent)
    {
        if (state.State.Profile is not { } profile)
        {
            return null;
        }

        var updated = profile with
        {
            Name = name ?? profile.Name,
            Commission = commissionPercent is { } percent && percent != profile.CommissionRate
                ? CommissionRates.With(profile.Commission, percent, clock.GetUtcNow())
                : profile.Commission,
        };
        if (updated != profile)
        {
            state.State = state.State with { Profile = updated };
            await state.WriteStateAsync();
        }

        return updated;
    }

    public Task<DunningPolicy> GetPolicy() => Task.FromResult(state.State.Policy ?? DunningPolicy.Default);

    public Task<CreditorSettings> GetSettings() => Task.FromResult(state.State.Settings ?? CreditorSettings.None);

    public Task<(CreditorProfile? Profile, CreditorSettings Settings)> GetProfileAndSettings() =>
        Task.FromResult((state.State.Profile, state.State.Settings ?? CreditorSettings.None));

    public async Task SetSettings(CreditorSettings settings)
    {
        state.State = state.State with { Settings = settings };
        await state.WriteStateAsync();
    }

    public Task<LitigationTerms> GetLitigationTerms() =>
        Task.FromResult(new LitigationTerms(state.State.Settings ?? CreditorSettings.None, state.State.Litigation ?? LitigationHistory.None));

    public async Task RecordLitigationOutcome(LitigationRoute route, decimal handedOver, decimal recovered)
    {
        state.State = state.State with { Litigation = (state.State.Litigation ?? LitigationHistory.None).Add(route, handedOver, recovered) };
        await state.WriteStateAsync();
    }

    public async Task SetPolicy(DunningPolicy policy)
    {
        state.State = state.State with { Policy = policy };
        await state.WriteStateAsync();
    }

    public async Task<DunningPolicy?> Promote(string variant)
    {
        if ((state.State.Policy ?? DunningPolicy.Default).Promote(variant) is not { } promoted)
        {
            return null;
        }

        await SetPolicy(promoted);
        return promoted;
    }
}
