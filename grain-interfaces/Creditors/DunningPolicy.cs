using Recouvrement.Debtors;

namespace Recouvrement.Creditors;

/// <summary>What a schedule step does.</summary>
[GenerateSerializer, Alias("rc.StepAction")]
public enum StepAction
{
    Reminder = 0,
    FormalNotice = 1,
    FinalDecision = 2,
}

/// <summary>One step of the amicable schedule, counted in days after the due date.</summary>
[GenerateSerializer, Immutable, Alias("rc.PolicyStep")]
public sealed record PolicyStep(
    [property: Id(0)] int DayAfterDue,
    [property: Id(1)] StepAction Action,
    [property: Id(2)] IReadOnlyList<Channel> Channels);

/// <summary>
/// A named version of the schedule that a share of new debtors follows, so that a creditor can try a challenger
/// against its champion (the first variant) on real debtors. <see cref="Weight"/> is relative to the other variants'.
/// </summary>
[GenerateSerializer, Immutable, Alias("rc.PolicyVariant")]
public sealed record PolicyVariant(
    [property: Id(0)] string Name,
    [property: Id(1)] decimal Weight,
    [property: Id(2)] IReadOnlyList<PolicyStep> Steps,
    [property: Id(3)] decimal EscalationThreshold);

/// <summary>
/// A creditor's dunning policy: the steps, and the balance below which litigation is not worth it; optionally
/// <see cref="Variants"/>, each followed by a share of new debtors (see docs/strategy-lab.md).
/// </summary>
/// <param name="Steps">
/// The schedule of cases without a variant: every case when the policy has none; with variants, the cases of debtors met
/// before the policy had any, and of a variant since removed.
/// </param>
[GenerateSerializer, Immutable, Alias("rc.DunningPolicy")]
public sealed record DunningPolicy(
    [property: Id(0)] IReadOnlyList<PolicyStep> Steps,
    [property: Id(1)] decimal EscalationThreshold,
    [property: Id(2), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<PolicyVariant>? Variants = null)
{
    /// <summary>
    /// The design's consumer schedule: D+1 e-mail and SMS, D+8 SMS, D+15 e-mail, D+22 formal notice by
    /// letter and e-mail, D+37 decision. 40 EUR is roughly what a small-claims procedure costs the creditor.
    /// </summary>
    public static DunningPolicy Default { get; } = new(
        [
            new PolicyStep(1, StepAction.Reminder, [Channel.Email, Channel.Sms]),
            new PolicyStep(8, StepAction.Reminder, [Channel.Sms]),
            new PolicyStep(15, StepAction.Reminder, [Channel.Email]),
            new PolicyStep(22, StepAction.FormalNotice, [Channel.Letter, Channel.Email]),
            new PolicyStep(37, StepAction.FinalDecision, []),
        ],
        EscalationThreshold: 40m);

    /// <summary>The variant every other is compared with: the first one listed; none without variants.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public PolicyVariant? Champion => Variants is { Count: > 0 } variants ? variants[0] : null;

    /// <summary>
    /// The schedule a case of <paramref name="variant"/> follows, as a policy without variants: the variant's steps and
    /// threshold, or this policy's own when the case has no variant or its variant is no longer in the policy.
    /// </summary>
    public DunningPolicy ScheduleOf(string? variant)
    {
        if (Variants is null)
        {
            return this;
        }

        foreach (var v in Variants)
        {
            if (v.Name == variant)
            {
                return new DunningPolicy(v.Steps, v.EscalationThreshold);
            }
        }

        return this with { Variants = null };
    }

    /// <summary>
    /// The variant a new debtor is given: the one whose share of [0, 1), in the order listed and in proportion to
    /// the weights, holds the debtor's <see cref="VariantHash.Position"/>. Null when the policy has no variants.
    /// A debtor keeps the variant it was given (its grain records it), so changing the weights moves only new debtors.
    /// </summary>
    public string? AssignVariant(string debtorReference)
    {
        if (Variants is not { Count: > 0 } variants)
        {
            return null;
        }

        var total = variants.Sum(v => Math.Max(0m, v.Weight));
        if (total <= 0m)
        {
            return variants[0].Name;
        }

        var position = (decimal)VariantHash.Position(debtorReference) * total;
        var upTo = 0m;
        foreach (var v in variants)
        {
            upTo += Math.Max(0m, v.Weight);
            if (position < upTo)
            {
                return v.Name;
            }
        }

        return variants.Last(v => v.Weight > 0m).Name;
    }

    /// <summary>The policy with <paramref name="variant"/> as its only variant and its schedule as the policy's own; null when there is no such variant.</summary>
    public DunningPolicy? Promote(string variant) =>
        Variants?.FirstOrDefault(v => v.Name == variant) is { } chosen
            ? new DunningPolicy(chosen.Steps, chosen.EscalationThreshold, [chosen])
            : null;
}

/// <summary>
/// Where a debtor's reference falls in [0, 1): the first eight bytes of the SHA-256 of its UTF-8 text, read big-endian,
/// over 2^64. The same on every machine, process and version (unlike <see cref="string.GetHashCode()"/>), and uniform
/// whatever the references look like (sequential numbers included), so shares match the weights.
/// </summary>
public static class VariantHash
{
    public static double Position(string debtorReference)
    {
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(debtorReference), hash);
        // 53 bits: exactly representable as a double below 1.
        return (System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(hash) >> 11) * (1.0 / (1UL << 53));
    }
}
