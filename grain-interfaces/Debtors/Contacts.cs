using Recouvrement.Cases;

namespace Recouvrement.Debtors;

/// <summary>The ways a debtor can be reached.</summary>
[GenerateSerializer, Alias("rc.Channel")]
public enum Channel
{
    Email = 0,
    Sms = 1,
    Letter = 2,
}

/// <summary>What kind of contact a schedule step asks for.</summary>
[GenerateSerializer, Alias("rc.ContactKind")]
public enum ContactKind
{
    Reminder = 0,
    FormalNotice = 1,

    /// <summary>The creditor rejected the debtor's dispute: the message explains why, and collection resumes.</summary>
    DisputeAnswer = 2,

    /// <summary>A payment plan's instalment falls due soon.</summary>
    InstalmentDue = 3,
}

/// <summary>Kinds of contact outside the schedule's numbered steps.</summary>
public static class ContactKinds
{
    /// <summary>Schedule steps are sent once per stage; the others are one-off messages keyed by their own stage number.</summary>
    public static bool IsScheduleStep(this ContactKind kind) => kind is ContactKind.Reminder or ContactKind.FormalNotice;
}

/// <summary>A case asking its debtor to contact about it; the debtor decides when and how.</summary>
[GenerateSerializer, Immutable, Alias("rc.ContactRequest")]
public sealed record ContactRequest(
    [property: Id(0)] string CaseReference,
    [property: Id(1)] int Stage,
    [property: Id(2)] ContactKind Kind,
    [property: Id(3)] IReadOnlyList<Channel> Channels,
    [property: Id(4)] decimal Balance,
    [property: Id(5)] string Currency,
    [property: Id(6)] DateOnly IssuedOn,
    [property: Id(7)] string? Label,
    [property: Id(8)] DateTimeOffset RequestedAt,
    [property: Id(9)] DateOnly DueOn = default,
    [property: Id(10)] decimal Principal = 0m,
    [property: Id(11)] decimal Paid = 0m,
    [property: Id(12)] DateTimeOffset? FirstContactAt = null,
    [property: Id(13)] string? FirstContactId = null,
    [property: Id(14)] string? Note = null,
    [property: Id(15)] Instalment? Instalment = null);

/// <summary>Proof that a message naming a case went out.</summary>
[GenerateSerializer, Immutable, Alias("rc.ContactReceipt")]
public sealed record ContactReceipt(
    [property: Id(0)] string MessageId,
    [property: Id(1)] int Stage,
    [property: Id(2)] Channel Channel,
    [property: Id(3)] DateTimeOffset SentAt);

/// <summary>
/// One contact point of a debtor and whether it can be used: <c>active</c>, <c>disabled</c> (a hard bounce, an
/// invalid or non-mobile number) or <c>opted_out</c> (the debtor replied STOP).
/// </summary>
[GenerateSerializer, Immutable, Alias("rc.ContactPointView")]
public sealed record ContactPointView(
    [property: Id(0)] Channel Channel,
    [property: Id(1)] string Value,
    [property: Id(2)] string Status,
    [property: Id(3)] string? Reason = null,
    [property: Id(4)] DateTimeOffset? Since = null);

/// <summary>
/// One message in a debtor's contact log, with what became of it: <c>sent</c> (the provider accepted it),
/// <c>delivered</c>, <c>bounced</c>, <c>failed</c>, or <c>in_doubt</c> (the engine stopped between handing it
/// to the provider and recording the answer; it is never sent again, see docs/channels.md).
/// </summary>
[GenerateSerializer, Immutable, Alias("rc.ContactLogEntry")]
public sealed record ContactLogEntry(
    [property: Id(0)] string MessageId,
    [property: Id(1)] DateTimeOffset SentAt,
    [property: Id(2)] Channel Channel,
    [property: Id(3)] IReadOnlyList<string> Cases,
    [property: Id(4)] string Status = "sent",
    [property: Id(5)] string? ProviderId = null,
    [property: Id(6)] string? Detail = null,
    [property: Id(7)] string? Recipient = null);

/// <summary>What a provider later said about a message.</summary>
[GenerateSerializer, Alias("rc.DeliveryOutcome")]
public enum DeliveryOutcome
{
    /// <summary>Accepted or handed to the carrier; nothing to change.</summary>
    Accepted = 0,
    Delivered = 1,

    /// <summary>The address or number does not exist: the contact point is disabled.</summary>
    Undeliverable = 2,

    /// <summary>The number is not a mobile: the SMS point is disabled.</summary>
    NotMobile = 3,

    /// <summary>The recipient said STOP: SMS stays off until they say START.</summary>
    OptedOut = 4,

    /// <summary>A failure that may pass (full mailbox, carrier filtering): recorded, nothing disabled.</summary>
    TemporaryFailure = 5,
}

/// <summary>A provider's feedback about one of our messages, matched by our message id.</summary>
[GenerateSerializer, Immutable, Alias("rc.DeliveryReport")]
public sealed record DeliveryReport(
    [property: Id(0)] string MessageId,
    [property: Id(1)] Channel Channel,
    [property: Id(2)] DeliveryOutcome Outcome,
    [property: Id(3)] string? Code,
    [property: Id(4)] DateTimeOffset At);

/// <summary>A debtor as the creditor sees it.</summary>
[GenerateSerializer, Immutable, Alias("rc.DebtorView")]
public sealed record DebtorView(
    [property: Id(0)] string Reference,
    [property: Id(1)] DebtorKind Kind,
    [property: Id(2)] string Name,
    [property: Id(3)] IReadOnlyList<string> OpenCases,
    [property: Id(4)] IReadOnlyList<ContactPointView> ContactPoints,
    [property: Id(5)] IReadOnlyList<ContactLogEntry> ContactLog,
    [property: Id(6)] DateTimeOffset? NextContactAt,
    [property: Id(7)] PostalAddress? Address,
    [property: Id(8)] bool SmsOptOut = false,
    [property: Id(9)] IReadOnlyList<CaseEvent>? Changes = null,
    [property: Id(10)] string Language = "fr",
    [property: Id(11)] Erasure? Erasure = null);
