using Recouvrement.Cases;

namespace Recouvrement.Events;

/// <summary>
/// Something a creditor cares about happened to a case or a debtor: a domain event, stored in the same transaction as
/// the state change that caused it (a transactional outbox), carried to the read model and the webhooks by an Orleans
/// stream, and served by the event feed. At least once, in order per case.
/// </summary>
/// <param name="Id">Stable: the same event always has the same id, so consumers deduplicate on it.</param>
/// <param name="Type">One of <see cref="EventTypes"/>.</param>
/// <param name="Sequence">The event's rank among its source's (its case's, or its debtor's): order per case.</param>
/// <param name="Data">A small JSON object of the event's facts (amounts, channel, reason); nothing personal.</param>
/// <param name="Summary">The case as it stands after the event, for the read model; null for a debtor's events.</param>
/// <param name="Parties">
/// On a case's creation only: the label and the debtor as the creditor fed them, which storage writes into the read
/// model's row for exports (and an erasure blanks there). Never stored in the event log, never in the feed.
/// </param>
[GenerateSerializer, Immutable, Alias("rc.EngineEvent")]
public sealed record EngineEvent(
    [property: Id(0)] string Id,
    [property: Id(1)] string Type,
    [property: Id(2)] string CreditorId,
    [property: Id(3)] string? CaseReference,
    [property: Id(4)] string DebtorReference,
    [property: Id(5)] DateTimeOffset OccurredAt,
    [property: Id(6)] long Sequence,
    [property: Id(7)] string Data,
    [property: Id(8)] CaseSummary? Summary = null,
    [property: Id(9)] CaseParties? Parties = null);

/// <summary>What the creditor fed about a case besides its figures: its label and its debtor. Personal data.</summary>
[GenerateSerializer, Immutable, Alias("rc.CaseParties")]
public sealed record CaseParties(
    [property: Id(0)] string? Label,
    [property: Id(1)] DebtorDetails Debtor);

/// <summary>A case as the read model lists it: no personal data, only references, amounts, dates and where it stands.</summary>
[GenerateSerializer, Immutable, Alias("rc.CaseSummary")]
public sealed record CaseSummary(
    [property: Id(0)] string Reference,
    [property: Id(1)] string DebtorReference,
    [property: Id(2)] CaseStatus Status,
    [property: Id(3)] int Stage,
    [property: Id(4)] decimal Amount,
    [property: Id(5)] decimal Paid,
    [property: Id(6)] decimal Balance,
    [property: Id(7)] string Currency,
    [property: Id(8)] DateOnly IssuedOn,
    [property: Id(9)] DateOnly DueOn,
    [property: Id(10)] DateTimeOffset? NextStepAt,
    [property: Id(11)] string? NextAction,
    [property: Id(12)] string LastEvent,
    [property: Id(13)] DateTimeOffset CreatedAt,
    [property: Id(14)] DateTimeOffset UpdatedAt,
    [property: Id(15)] long Sequence,
    [property: Id(16)] string? Variant = null);

/// <summary>The event types, as the feed and the webhooks spell them.</summary>
public static class EventTypes
{
    public const string Created = "case.created";
    public const string Contacted = "case.contacted";
    public const string FormalNoticeSent = "case.formal_notice_sent";
    public const string PaymentReceived = "case.payment_received";
    public const string Paid = "case.paid";
    public const string Disputed = "case.disputed";
    public const string DisputeResolved = "case.dispute_resolved";
    public const string PlanProposed = "case.plan_proposed";
    public const string PlanAgreed = "case.plan_agreed";
    public const string PlanDefaulted = "case.plan_defaulted";
    public const string OnHold = "case.on_hold";
    public const string Resumed = "case.resumed";
    public const string Escalated = "case.escalated";
    public const string HandedOver = "case.handed_over";
    public const string LitigationOutcome = "case.litigation_outcome";
    public const string Closed = "case.closed";
    public const string ContactPointChanged = "debtor.contact_point_changed";
    public const string DetailsCorrected = "debtor.details_corrected";

    /// <summary>Every type, in the order the design lists them.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Created, Contacted, FormalNoticeSent, PaymentReceived, Paid, Disputed, DisputeResolved, PlanProposed, PlanAgreed,
        PlanDefaulted, OnHold, Resumed, Escalated, HandedOver, LitigationOutcome, Closed, ContactPointChanged, DetailsCorrected,
    ];
}

/// <summary>An event as a decision states it, before its source numbers it: its type and its data.</summary>
public sealed record EventFact(string Type, string Data);
