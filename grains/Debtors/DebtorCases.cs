namespace Recouvrement.Debtors;

/// <summary>
/// A debtor's cases as the debtor speaks to them: it asks whether each still wants its contact right before sending
/// (an interleaving read), and tells them one-way once a message naming them went out, so that the debtor never waits
/// on a case that may be waiting on it.
/// </summary>
internal sealed class DebtorCases(IGrainFactory grains, string debtorKey)
{
    private readonly string creditorId = GrainKeys.Split(debtorKey).CreditorId;

    /// <summary>The requests whose case still wants its contact: a case paid, held or disputed since it asked is never reminded.</summary>
    public async Task<List<ContactRequest>> StillWanting(IEnumerable<ContactRequest> pending)
    {
        var wanted = new List<ContactRequest>();
        foreach (var request in pending)
        {
            if (await Case(request.CaseReference).StillWantsContact(request.Stage))
            {
                wanted.Add(request);
            }
        }

        return wanted;
    }

    /// <summary>Confirms contacts to their cases; the debtor's own contact log is the durable record.</summary>
    public void Confirm(IEnumerable<CaseReceipt> receipts)
    {
        foreach (var receipt in receipts)
        {
            _ = Case(receipt.CaseReference).ContactMade(receipt.Receipt);
        }
    }

    private ICaseGrain Case(string reference) => grains.Reference<ICaseGrain>(GrainKeys.Compose(creditorId, reference));
}
