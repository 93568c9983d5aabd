using System.Collections.Immutable;
using Recouvrement.Cases;

namespace Recouvrement.Creditors;

/// <summary>A creditor's profile as the operator onboarded it, and the agency's commission on its recoveries over time.</summary>
[GenerateSerializer, Immutable, Alias("rc.CreditorProfile")]
public sealed record CreditorProfile(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] DateTimeOffset OnboardedAt,
    [property: Id(3)] ImmutableList<CommissionRate>? Commission = null)
{
    /// <summary>The commission rate in force now (percent): the latest set.</summary>
    public decimal CommissionRate => Commission is { Count: > 0 } rates ? rates[^1].Percent : 0m;
}

/// <summary>
/// What a creditor sets about itself: the address its letters print (CPCE R124-4 wants it), and whether business
/// debtors are charged the 40 EUR recovery indemnity and late-payment interest (Code de commerce L441-10,
/// D441-5). Consumers are never charged either, whatever is set here.
/// </summary>
[GenerateSerializer, Immutable, Alias("rc.CreditorSettings")]
public sealed record CreditorSettings(
    [property: Id(0)] PostalAddress? Address,
    [property: Id(1)] bool RecoveryIndemnity,
    [property: Id(2)] decimal? LateInterestRate,
    [property: Id(3)] PlanRules? Plans = null,
    [property: Id(4)] LitigationSettings? Litigation = null)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public PlanRules PlanRules => Plans ?? PlanRules.Default;

    public static CreditorSettings None { get; } = new(null, false, null);
}

/// <summary>One creditor, keyed by its id: profile and dunning policy.</summary>
public interface ICreditorGrain : IGrainWithStringKey
{
    /// <summary>Creates the creditor; false when the id is already taken.</summary>
    Task<bool> Onboard(string name);

    [ReadOnly]
    Task<CreditorProfile?> GetProfile();

    /// <summary>
    /// Renames the creditor (when <paramref name="name"/> is not null) and sets its commission rate in force from now on
    /// (engine time; when <paramref name="commissionPercent"/> is not null). Null for a creditor never onboarded.
    /// </summary>
    Task<CreditorProfile?> UpdateProfile(string? name, decimal? commissionPercent);

    /// <summary>The policy in force: the creditor's own, or the default one.</summary>
    [ReadOnly]
    Task<DunningPolicy> GetPolicy();

    Task SetPolicy(DunningPolicy policy);

    [ReadOnly]
    Task<CreditorSettings> GetSettings();

    Task SetSettings(CreditorSettings settings);

    /// <summary>What the litigation decision reads: the settings and the creditor's outcomes so far, in one call.</summary>
    [ReadOnly]
    Task<LitigationTerms> GetLitigationTerms();

    /// <summary>A handed-over case's outcome joins the creditor's history of its route (the case calls it once, when it concludes).</summary>
    Task RecordLitigationOutcome(LitigationRoute route, decimal handedOver, decimal recovered);

    /// <summary>The profile and the settings together, for what is written in the creditor's name: one call instead of two.</summary>
    [ReadOnly]
    Task<(CreditorProfile? Profile, CreditorSettings Settings)> GetProfileAndSettings();
}
