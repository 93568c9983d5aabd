using Recouvrement.Creditors;

namespace Recouvrement.Cases;

/// <summary>One route's figures in a litigation decision, chosen or not.</summary>
/// <param name="Eligible">Whether the route could be taken at all (enabled, within its limit).</param>
/// <param name="RateSource"><c>settings</c>, or <c>history</c> once the creditor has enough outcomes on the route.</param>
/// <param name="ExpectedNet">(balance + recoverable extras − cost) × rate, rounded to the cent; 0 for a write-off.</param>
/// <param name="Reason">Why an ineligible route is out, else null.</param>
[GenerateSerializer, Immutable, Alias("rc.RouteFigures")]
public sealed record RouteFigures(
    [property: Id(0)] LitigationRoute Route,
    [property: Id(1)] bool Eligible,
    [property: Id(2)] decimal Cost,
    [property: Id(3)] int ExpectedDelayDays,
    [property: Id(4)] decimal RecoveryRate,
    [property: Id(5)] string RateSource,
    [property: Id(6)] decimal ExpectedNet,
    [property: Id(7)] string? Reason = null);

/// <summary>
/// What the engine decided for a claim after the formal notice, and on what figures: the route, its expected net, every
/// route considered (<see cref="Alternatives"/>, the chosen one included) and the reason in words.
/// </summary>
/// <param name="Claim">The balance plus what a business debtor owes on top (<see cref="Indemnity"/>, <see cref="Interest"/>).</param>
/// <param name="Trigger"><c>final_decision</c> (the schedule's last step) or <c>prescription</c> (the guard before the claim prescribes).</param>
[GenerateSerializer, Immutable, Alias("rc.LitigationDecision")]
public sealed record LitigationDecision(
    [property: Id(0)] LitigationRoute Route,
    [property: Id(1)] decimal ExpectedNet,
    [property: Id(2)] IReadOnlyList<RouteFigures> Alternatives,
    [property: Id(3)] string Reason,
    [property: Id(4)] decimal Balance,
    [property: Id(5)] decimal Indemnity,
    [property: Id(6)] decimal Interest,
    [property: Id(7)] decimal Claim,
    [property: Id(8)] string Trigger,
    [property: Id(9)] DateTimeOffset DecidedAt);

/// <summary>Where an escalated case stands with litigation.</summary>
[GenerateSerializer, Alias("rc.LitigationStatus")]
public enum LitigationStatus
{
    /// <summary>The creditor asked to approve each hand-off (<c>litigation.requireApproval</c>).</summary>
    AwaitingApproval = 0,

    /// <summary>Ready to be handed to a partner.</summary>
    Ready = 1,

    /// <summary>Exported to a partner (commissaire de justice, lawyer).</summary>
    HandedOver = 2,

    /// <summary>The partner reported an outcome.</summary>
    Concluded = 3,
}

/// <summary>How the legal route ended.</summary>
[GenerateSerializer, Alias("rc.LitigationOutcome")]
public enum LitigationOutcome
{
    Recovered = 0,
    PartiallyRecovered = 1,
    Failed = 2,
    Settled = 3,
}

/// <summary>An escalated case's hand-off: its route (decided or approved), where it stands, and its outcome.</summary>
[GenerateSerializer, Immutable, Alias("rc.CaseLitigation")]
public sealed record CaseLitigation(
    [property: Id(0)] LitigationRoute Route,
    [property: Id(1)] LitigationStatus Status,
    [property: Id(2)] DateTimeOffset? ApprovedAt = null,
    [property: Id(3)] DateTimeOffset? HandedOverAt = null,
    [property: Id(4)] decimal? BalanceHandedOver = null,
    [property: Id(5)] LitigationOutcome? Outcome = null,
    [property: Id(6)] decimal? Amount = null,
    [property: Id(7)] string? Note = null,
    [property: Id(8)] DateTimeOffset? ConcludedAt = null);
