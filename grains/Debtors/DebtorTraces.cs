using Microsoft.Extensions.DependencyInjection;
using Recouvrement.Events;
using Recouvrement.Messaging;

namespace Recouvrement.Debtors;

/// <summary>
/// What an erasure clears of a debtor outside its own state: its phone's registration for replies, the files its
/// messages left (outbox and letters), and what the read model holds of it.
/// </summary>
public sealed class DebtorTraces(IGrainFactory grains, MessageFiles files, IServiceProvider services)
{
    public async Task EraseAsync(string debtorKey, string? indexedPhone)
    {
        if (indexedPhone is not null)
        {
            await grains.Reference<IPhoneNumberGrain>(indexedPhone).Remove(debtorKey);
        }

        var (creditorId, reference) = GrainKeys.Split(debtorKey);
        files.EraseDebtor(creditorId, reference);
        if (services.GetService<ICaseSummaryWriter>() is { } readModel)
        {
            await readModel.EraseDebtorAsync(creditorId, reference);
        }
    }
}
