using Recouvrement.Cases;

namespace Recouvrement.Debtors;

/// <summary>A message being handed to its channel: written as in flight before it leaves, so a crash never sends it twice.</summary>
[GenerateSerializer, Immutable, Alias("rc.InFlightMessage")]
public sealed record InFlightMessage(
    [property: Id(0)] string MessageId,
    [property: Id(1)] Channel Channel,
    [property: Id(2)] string Recipient,
    [property: Id(3)] IReadOnlyList<ContactRequest> Requests);

/// <summary>
/// The messages of one step of a debtor's dispatch, already written as in flight, with what is needed to write them
/// that the debtor holds: its details, and the engine time of the dispatch.
/// </summary>
[GenerateSerializer, Immutable, Alias("rc.DispatchBatch")]
public sealed record DispatchBatch(
    [property: Id(0)] int Round,
    [property: Id(1)] IReadOnlyList<InFlightMessage> Messages,
    [property: Id(2)] DebtorDetails Debtor,
    [property: Id(7)] DateTimeOffset Now);

/// <summary>What became of one message of a <see cref="DispatchBatch"/>.</summary>
[GenerateSerializer, Immutable, Alias("rc.SentMessage")]
public sealed record SentMessage(
    [property: Id(0)] string MessageId,
    [property: Id(1)] Messaging.SendResult Result);
