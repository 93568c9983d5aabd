namespace Recouvrement.Cases;

/// <summary>
/// Creates many new cases of one creditor in one database transaction, beside the one-grain-per-case path.
/// A stateless worker: any silo takes a batch.
/// </summary>
public interface ICaseIntakeGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Stores in one go every draft that can be: a new reference of a new debtor. A first step due before the
    /// reminder service next reads its table is taken once it has (the reminder refresh period plus the loading
    /// window, 15 minutes by default). Each answer says whether that draft was created here; the others must go
    /// through their case grain (<see cref="ICaseGrain.Create"/>), which decides duplicates and conflicts.
    /// References must be distinct within one call.
    /// </summary>
    Task<bool[]> CreateNew(string creditorId, IReadOnlyList<CaseDraft> drafts);
}
