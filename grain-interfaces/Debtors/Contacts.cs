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
    [property: Id(8)] DateTimeOffset RequestedAt);

/// <summary>Proof that a message naming a case went out.</summary>
[GenerateSerializer, Immutable, Alias("rc.ContactReceipt")]
public sealed record ContactReceipt(
    [property: Id(0)] string MessageId,
    [property: Id(1)] int Stage,
    [property: Id(2)] Channel Channel,
    [property: Id(3)] DateTimeOffset SentAt);

/// <summary>One contact point of a debtor and whether it can be used.</summary>
[GenerateSerializer, Immutable, Alias("rc.ContactPointView")]
public sealed record ContactPointView(
    [property: Id(0)] Channel Channel,
    [property: Id(1)] string Value,
    [property: Id(2)] string Status);

/// <summary>One message in a debtor's contact log.</summary>
[GenerateSerializer, Immutable, Alias("rc.ContactLogEntry")]
public sealed record ContactLogEntry(
    [property: Id(0)] string MessageId,
    [property: Id(1)] DateTimeOffset SentAt,
    [property: Id(2)] Channel Channel,
    [property: Id(3)] IReadOnlyList<string> Cases);

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
    [property: Id(7)] PostalAddress? Address);
