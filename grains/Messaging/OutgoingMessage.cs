namespace Recouvrement.Messaging;

/// <summary>
/// One message to one debtor on one channel, naming every case it is about. Its id is stable: the same
/// dispatch retried after a crash yields the same id, which is what makes sending idempotent.
/// </summary>
public sealed record OutgoingMessage(
    string MessageId,
    string CreditorId,
    string DebtorReference,
    Channel Channel,
    ContactKind Kind,
    string Recipient,
    string? Subject,
    string Body,
    string PaymentLink,
    IReadOnlyList<MessageCase> Cases,
    DateTimeOffset CreatedAt);

/// <summary>A case as a message names it: never its label, which may reveal health information.</summary>
public sealed record MessageCase(string Reference, int Stage, DateOnly IssuedOn, decimal Balance, string Currency);

/// <summary>A way to get a message to a debtor.</summary>
public interface IMessageChannel
{
    /// <summary>Sends the message; sending the same message id twice must deliver it once.</summary>
    Task SendAsync(OutgoingMessage message, CancellationToken cancellationToken = default);
}
