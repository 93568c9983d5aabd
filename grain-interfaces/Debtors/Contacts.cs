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

/// <summary>
/// The stage a contact request names. A schedule step's is its index in the policy (0, 1, 2…); a one-off message takes
/// a negative stage of its own, so that it never collides with a step, and one message's id never with another's.
/// </summary>
public static class ContactStages
{
    /// <summary>The answer to the case's <paramref name="dispute"/>th dispute (1, 2…): -101, -102…</summary>
    public static int DisputeAnswer(int dispute) => -100 - dispute;

    /// <summary>The notice of the plan's instalment at <paramref name="index"/> (0, 1…): -1, -2… (a plan has fewer than 100).</summary>
    public static int InstalmentNotice(int index) => -1 - index;
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

/// <summary>What became of a message in a debtor's contact log.</summary>
public enum ContactStatus
{
    /// <summary>The provider accepted it.</summary>
    Sent,

    Delivered,

    /// <summary>An e-mail whose address does not exist.</summary>
    Bounced,

    /// <summary>Refused, or reported failed; the contact point may be disabled for it.</summary>
    Failed,

    /// <summary>Reported not delivered for a reason that may pass (a full mailbox, a carrier's filter).</summary>
    Undelivered,

    /// <summary>The engine stopped between handing it over and recording the answer (or the provider's answer proved nothing): never sent again.</summary>
    InDoubt,

    /// <summary>No contact point could carry it: nothing was sent.</summary>
    Unreachable,
}

/// <summary>The contact statuses as the API and storage spell them: <c>sent</c>, <c>in_doubt</c>…</summary>
public static class ContactStatuses
{
    public static string Wire(ContactStatus status) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString());

    public static ContactStatus Parse(string wire) =>
        Enum.GetValues<ContactStatus>().FirstOrDefault(s => Wire(s) == wire, ContactStatus.Sent);

    /// <summary>Whether the status was a contact: what counts towards the frequency caps and the minimum gap.</summary>
    public static bool WasContact(this ContactStatus status) => status is not (ContactStatus.Failed or ContactStatus.Unreachable);
}

/// <summary>
/// One message in a debtor's contact log, with what became of it (<see cref="Status"/>; see docs/channels.md). The
/// status is stored as its text (<see cref="StoredStatus"/>), as it always was, so logs written before the enum read alike.
/// </summary>
[GenerateSerializer, Immutable, Alias("rc.ContactLogEntry")]
public sealed record ContactLogEntry(
    [property: Id(0)] string MessageId,
    [property: Id(1)] DateTimeOffset SentAt,
    [property: Id(2)] Channel Channel,
    [property: Id(3)] IReadOnlyList<string> Cases,
    [property: Id(4), System.Text.Json.Serialization.JsonIgnore] string StoredStatus = "sent",
    [property: Id(5)] string? ProviderId = null,
    [property: Id(6)] string? Detail = null,
    [property: Id(7)] string? Recipient = null)
{
    public ContactLogEntry(
        string messageId, DateTimeOffset sentAt, Channel channel, IReadOnlyList<string> cases, ContactStatus status,
        string? providerId = null, string? detail = null, string? recipient = null)
        : this(messageId, sentAt, channel, cases, ContactStatuses.Wire(status), providerId, detail, recipient)
    {
    }

    public ContactStatus Status => ContactStatuses.Parse(StoredStatus);

    public ContactLogEntry With(ContactStatus status) => this with { StoredStatus = ContactStatuses.Wire(status) };
}

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
    [property: Id(11)] Erasure? Erasure = null,
    [property: Id(12)] string? Variant = null);
