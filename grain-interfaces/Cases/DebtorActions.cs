namespace Recouvrement.Cases;

/// <summary>A debtor's dispute of a case: why, in their words, and when.</summary>
[GenerateSerializer, Immutable, Alias("rc.Dispute")]
public sealed record Dispute(
    [property: Id(0)] string Reason,
    [property: Id(1)] string? Message,
    [property: Id(2)] DateTimeOffset OpenedAt);

/// <summary>One monthly instalment of a payment plan.</summary>
[GenerateSerializer, Immutable, Alias("rc.Instalment")]
public sealed record Instalment(
    [property: Id(0)] int Number,
    [property: Id(1)] DateOnly DueOn,
    [property: Id(2)] decimal Amount);

/// <summary>
/// An agreed payment plan: its instalments, what had been paid when it began, how many instalments were
/// reminded and found paid so far.
/// </summary>
[GenerateSerializer, Immutable, Alias("rc.PaymentPlan")]
public sealed record PaymentPlan(
    [property: Id(0)] IReadOnlyList<Instalment> Instalments,
    [property: Id(1)] DateTimeOffset AgreedAt,
    [property: Id(2)] decimal PaidAtStart,
    [property: Id(3)] int Reminded,
    [property: Id(4)] int Honoured,
    [property: Id(5)] bool ByCreditor);

/// <summary>A plan the debtor asked for outside the creditor's automatic rules, waiting for the creditor's answer.</summary>
[GenerateSerializer, Immutable, Alias("rc.PlanProposal")]
public sealed record PlanProposal(
    [property: Id(0)] int Instalments,
    [property: Id(1)] DateTimeOffset ProposedAt,
    [property: Id(2)] string WhyNotAutomatic);

/// <summary>
/// The plans a debtor gets without asking the creditor: at least <see cref="MinInstalment"/> per instalment and at
/// most <see cref="MaxInstalments"/> instalments. Anything else waits for the creditor.
/// </summary>
[GenerateSerializer, Immutable, Alias("rc.PlanRules")]
public sealed record PlanRules(
    [property: Id(0)] decimal MinInstalment,
    [property: Id(1)] int MaxInstalments)
{
    public static PlanRules Default { get; } = new(15m, 6);
}
