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
    [property: Id(4)] LitigationSettings? Litigation = null,
    [property: Id(5)] ChannelCosts? Costs = null)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public PlanRules PlanRules => Plans ?? PlanRules.Default;

    /// <summary>The unit costs in force: the creditor's own, or <see cref="ChannelCosts.Default"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ChannelCosts ChannelCosts => Costs ?? ChannelCosts.Default;

    public static CreditorSettings None { get; } = new(null, false, null);
}

/// <summary>
/// What one message costs the creditor, per channel, in its currency: what the variants report counts per message
/// actually sent. A formal notice by post is a registered letter (lettre recommandée), any other letter a plain one.
/// </summary>
[GenerateSerializer, Immutable, Alias("rc.ChannelCosts")]
public sealed record ChannelCosts(
    [property: Id(0)] decimal Email,
    [property: Id(1)] decimal Sms,
    [property: Id(2)] decimal Letter,
    [property: Id(3)] decimal RegisteredLetter)
{
    /// <summary>
    /// Orders of magnitude for France in 2026, for a creditor that has set none: an e-mail 0.002 EUR, an SMS 0.06 EUR,
    /// a printed and posted letter 1.60 EUR, a registered letter with acknowledgement of receipt 6.50 EUR.
    /// </summary>
    public static ChannelCosts Default { get; } = new(0.002m, 0.06m, 1.60m, 6.50m);
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

    /// <summary>Makes <paramref name="variant"/> the policy's only variant (<see cref="DunningPolicy.Promote"/>); null, and nothing changed, when it has no such variant.</summary>
    Task<DunningPolicy?> Promote(string variant);

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
