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

/// <summary>A creditor's dunning policy: the steps, and the balance below which litigation is not worth it.</summary>
[GenerateSerializer, Immutable, Alias("rc.DunningPolicy")]
public sealed record DunningPolicy(
    [property: Id(0)] IReadOnlyList<PolicyStep> Steps,
    [property: Id(1)] decimal EscalationThreshold)
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
}
