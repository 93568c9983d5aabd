namespace Recouvrement.Creditors;

/// <summary>A creditor's profile as the operator onboarded it.</summary>
[GenerateSerializer, Immutable, Alias("rc.CreditorProfile")]
public sealed record CreditorProfile(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] DateTimeOffset OnboardedAt);

/// <summary>One creditor, keyed by its id: profile and dunning policy.</summary>
public interface ICreditorGrain : IGrainWithStringKey
{
    /// <summary>Creates the creditor; false when the id is already taken.</summary>
    Task<bool> Onboard(string name);

    [ReadOnly]
    Task<CreditorProfile?> GetProfile();

    /// <summary>The policy in force: the creditor's own, or the default one.</summary>
    [ReadOnly]
    Task<DunningPolicy> GetPolicy();

    Task SetPolicy(DunningPolicy policy);
}
