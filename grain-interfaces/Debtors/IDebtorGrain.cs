using Recouvrement.Cases;

namespace Recouvrement.Debtors;

/// <summary>
/// A person or company owing one or more cases, keyed <c>{creditorId}/{debtorReference}</c>.
/// It decides when and how to contact: send windows, and one message for every case due together.
/// </summary>
public interface IDebtorGrain : IGrainWithStringKey
{
    /// <summary>
    /// Records the debtor's details from a newly fed case and links the case; a debtor without a case yet records
    /// <paramref name="variant"/> as the policy variant all its cases follow.
    /// </summary>
    Task Attach(string caseReference, DebtorDetails details, string? variant = null);

    /// <summary>
    /// The policy variant a new case of this debtor follows: the debtor's own once it has had a case, otherwise
    /// <paramref name="proposed"/> (the one the policy assigns it), which the case's attachment then records.
    /// </summary>
    [ReadOnly]
    Task<string?> VariantFor(string? proposed);

    /// <summary>
    /// Queues a contact for a case; it goes out in the next send window. False when the debtor does not hold the case
    /// (its <see cref="Attach"/> failed after the case was stored): the case attaches, then asks again.
    /// </summary>
    Task<bool> RequestContact(ContactRequest request);

    /// <summary>Drops any queued contact for a case and, when it is settled, unlinks it.</summary>
    Task Withdraw(string caseReference, bool caseIsSettled);

    [ReadOnly]
    Task<DebtorView?> Get();

    /// <summary>A provider's feedback on one of this debtor's messages; an unknown message id is ignored.</summary>
    Task RecordDelivery(DeliveryReport report);

    /// <summary>
    /// The debtor replied STOP (<paramref name="optedOut"/> true) or START from <paramref name="phone"/>;
    /// ignored when that is no longer the debtor's number. Returns whether anything changed.
    /// </summary>
    Task<bool> SetSmsOptOut(string phone, bool optedOut);

    /// <summary>
    /// The debtor corrects their own details from the payment page (a null field is left as it is). The change is
    /// kept in the debtor's history for the creditor. Returns whether anything changed.
    /// </summary>
    Task<bool> CorrectDetails(string? email, string? phone, PostalAddress? address);

    /// <summary>
    /// First step of <see cref="DebtorErasure"/>: contacts stop (queued ones are dropped, the dispatch and retention
    /// wake-ups removed) and the debtor names every case it has held, open or settled; null when it never existed.
    /// </summary>
    Task<IReadOnlyList<string>?> BeginErasure();

    /// <summary>
    /// Last step of <see cref="DebtorErasure"/>, once its cases are erased: the debtor's identity, contact points,
    /// contact log recipients and corrections are erased, so are its messages' files (outbox and letters) and its
    /// phone's registration for replies; the erasure itself is recorded, without the data.
    /// </summary>
    Task<Erasure> CompleteErasure(string by, int cases);

    /// <summary>
    /// Starts a dispatch, once the debtor's wake-up fired and a dispatch slot of the silo is free: checks every case
    /// still wants its contact, plans the messages and writes them as in flight, and returns them to be sent outside
    /// this grain, by the silo's dispatch runner; null when nothing is to be sent now (outside the send window, before
    /// the planned time, nothing queued), the next wake-up set. Messages a lost round left in flight are in doubt.
    /// </summary>
    Task<DispatchBatch?> BeginDispatch();

    /// <summary>
    /// Records what became of a batch's messages: the contact log, the contact points' health, the cases told.
    /// Returns the next batch of the round (a request refused on a dead contact point, tried on another channel), or
    /// null when the round is over and the next wake-up is set.
    /// </summary>
    Task<DispatchBatch?> RecordSent(int round, IReadOnlyList<SentMessage> sent);
}

/// <summary>
/// The debtors for whom the engine planned or sent an SMS at one phone number (E.164), so that a STOP or START
/// reply reaches each of them. Keyed by the number.
/// </summary>
public interface IPhoneNumberGrain : IGrainWithStringKey
{
    /// <summary>
    /// Registers the debtor; false when the number already has the most debtors allowed
    /// (<c>Recouvrement:Contact:MaxDebtorsPerPhone</c>): the debtor is then not to be texted at it.
    /// </summary>
    Task<bool> Add(string debtorKey);

    [ReadOnly]
    Task<IReadOnlyList<string>> Debtors();

    /// <summary>Forgets the debtor (its personal data is being erased); replies from the number no longer reach it.</summary>
    Task Remove(string debtorKey);
}
