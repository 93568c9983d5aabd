namespace Recouvrement.Cases;

/// <summary>One dated fact in a case's history (the creditor reads it; CPCE R124-5 reporting).</summary>
[GenerateSerializer, Immutable, Alias("rc.CaseEvent")]
public sealed record CaseEvent(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Kind,
    [property: Id(2)] string? Detail);

/// <summary>The next thing the schedule will do for a case, and when.</summary>
[GenerateSerializer, Immutable, Alias("rc.NextStep")]
public sealed record NextStep(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Action,
    [property: Id(2)] int Stage);

/// <summary>A case as the creditor sees it.</summary>
[GenerateSerializer, Immutable, Alias("rc.CaseView")]
public sealed record CaseView(
    [property: Id(0)] string Reference,
    [property: Id(1)] CaseStatus Status,
    [property: Id(2)] int Stage,
    [property: Id(3)] decimal Amount,
    [property: Id(4)] decimal Paid,
    [property: Id(5)] decimal Balance,
    [property: Id(6)] string Currency,
    [property: Id(7)] DateOnly IssuedOn,
    [property: Id(8)] DateOnly DueOn,
    [property: Id(9)] string? Label,
    [property: Id(10)] string DebtorReference,
    [property: Id(11)] NextStep? NextStep,
    [property: Id(12)] string? ClosedReason,
    [property: Id(13)] IReadOnlyList<CaseEvent> History,
    [property: Id(14)] Dispute? Dispute = null,
    [property: Id(15)] PaymentPlan? Plan = null,
    [property: Id(16)] PlanProposal? PlanProposal = null,
    [property: Id(17)] DateOnly? PrescriptionOn = null,
    [property: Id(18)] LitigationDecision? Decision = null,
    [property: Id(19)] CaseLitigation? Litigation = null,
    [property: Id(20)] string? Variant = null);

/// <summary>A case with what its dossier needs beyond the view: the debtor's details, the payments received, the first contact.</summary>
[GenerateSerializer, Immutable, Alias("rc.CaseRecord")]
public sealed record CaseRecord(
    [property: Id(0)] CaseView Case,
    [property: Id(1)] DebtorDetails Debtor,
    [property: Id(2)] IReadOnlyList<PaymentReceipt> Payments,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset? FirstContactAt,
    [property: Id(5)] string? FirstContactMessageId);

/// <summary>What creating a case did.</summary>
[GenerateSerializer, Alias("rc.CreationOutcome")]
public enum CreationOutcome
{
    Created = 0,
    Duplicate = 1,
    Conflict = 2,
}

/// <summary>The outcome of a creation and the case as it now stands.</summary>
[GenerateSerializer, Immutable, Alias("rc.CaseCreation")]
public sealed record CaseCreation(
    [property: Id(0)] CreationOutcome Outcome,
    [property: Id(1)] CaseView Case);
