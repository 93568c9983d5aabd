using Recouvrement.Cases;

namespace Recouvrement.Debtors;

/// <summary>
/// That a debtor's personal data was erased: when, and by whom (the id of the API key that asked, or
/// <c>retention</c> when the retention period ran out). Nothing of the data itself.
/// </summary>
[GenerateSerializer, Immutable, Alias("rc.Erasure")]
public sealed record Erasure(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string By,
    [property: Id(2)] int Cases);

/// <summary>
/// Erases a debtor's personal data everywhere the engine keeps it (GDPR art. 17): the debtor stops being contacted
/// and names its cases (<see cref="IDebtorGrain.BeginErasure"/>), each case erases what it holds and closes if it
/// was open (<see cref="ICaseGrain.Erase"/>), then the debtor erases itself, its messages' files and its phone's
/// registration (<see cref="IDebtorGrain.CompleteErasure"/>). Amounts, dates and references stay, for accounting.
/// Run from outside the debtor's turns (the API, or the debtor's retention timer through a task of its own), so that
/// no case ever waits on a debtor waiting on it. Idempotent: an erasure interrupted half-way is completed by the next.
/// </summary>
public static class DebtorErasure
{
    /// <summary>Who erases when the retention period of a debtor's closed cases runs out.</summary>
    public const string Retention = "retention";

    /// <returns>The erasure, or null when the creditor has no such debtor.</returns>
    public static async Task<Erasure?> EraseAsync(IGrainFactory grains, string creditorId, string debtorReference, string by)
    {
        var debtor = grains.Reference<IDebtorGrain>(GrainKeys.Compose(creditorId, debtorReference));
        if (await debtor.BeginErasure() is not { } cases)
        {
            return null;
        }

        foreach (var reference in cases)
        {
            await grains.Reference<ICaseGrain>(GrainKeys.Compose(creditorId, reference)).Erase(by);
        }

        return await debtor.CompleteErasure(by, cases.Count);
    }
}
