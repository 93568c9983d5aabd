using Recouvrement.Cases;

namespace Recouvrement.Debtors;

/// <summary>
/// A person or company owing one or more cases, keyed <c>{creditorId}/{debtorReference}</c>.
/// It decides when and how to contact: send windows, and one message for every case due together.
/// </summary>
public interface IDebtorGrain : IGrainWithStringKey
{
    /// <summary>Records the debtor's details from a newly fed case and links the case.</summary>
    Task Attach(string caseReference, DebtorDetails details);

    /// <summary>Queues a contact for a case; it goes out in the next send window.</summary>
    Task RequestContact(ContactRequest request);

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
    /// Sends what is due now, in one turn of the debtor; the debtor calls it itself when its dispatch reminder has
    /// ticked and a dispatch slot of the silo is free. Nothing is sent outside the send window or before the
    /// planned time: such a call only sets the reminder again.
    /// </summary>
    Task DispatchDue();
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
}
