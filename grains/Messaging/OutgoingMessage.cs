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
    DateTimeOffset CreatedAt)
{
    /// <summary>The debtor grain's key, which webhooks use to bring feedback back.</summary>
    public string DebtorKey => GrainKeys.Compose(CreditorId, DebtorReference);

    /// <summary>Who the letter is for and who it comes from; only letters need them.</summary>
    public LetterParties? Parties { get; init; }

    public string Language { get; init; } = "fr";
}

/// <summary>
/// A case as a message names it: never its label, which may reveal health information. Amounts are split as
/// CPCE R124-4 asks: principal, interest, other items; what was paid comes off.
/// </summary>
public sealed record MessageCase(string Reference, int Stage, DateOnly IssuedOn, decimal Balance, string Currency)
{
    public DateOnly DueOn { get; init; }

    public decimal Principal { get; init; }

    public decimal Paid { get; init; }

    /// <summary>Late-payment interest: business debtors only, when the creditor asks for it.</summary>
    public decimal Interest { get; init; }

    /// <summary>Other items: the 40 EUR recovery indemnity, business debtors only, when the creditor asks for it.</summary>
    public decimal OtherCharges { get; init; }

    /// <summary>The first message about this case, which CPCE R124-4 wants named in every later one.</summary>
    public DateTimeOffset? FirstContactAt { get; init; }

    public string? FirstContactId { get; init; }

    /// <summary>Why the case is in this message: a schedule step, a dispute answer, an instalment notice.</summary>
    public ContactKind Kind { get; init; }

    /// <summary>The creditor's explanation, for a dispute answer.</summary>
    public string? Note { get; init; }

    /// <summary>The instalment falling due, for an instalment notice.</summary>
    public Instalment? Instalment { get; init; }

    /// <summary>What the debtor is asked to pay now.</summary>
    public decimal AmountDue => Balance + Interest + OtherCharges;
}

/// <summary>The people a letter names: the debtor it goes to, the creditor it is for.</summary>
public sealed record LetterParties(
    string DebtorName, DebtorKind DebtorKind, PostalAddress DebtorAddress, string CreditorName, PostalAddress? CreditorAddress);

/// <summary>A way to get a message to a debtor.</summary>
public interface IMessageChannel
{
    /// <summary>Hands the message over once and tells what became of it. Never throws for a provider's answer.</summary>
    Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken = default);
}
