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
}
