namespace Recouvrement.Cases;

/// <summary>
/// Creates many new cases of one creditor in one database transaction, beside the one-grain-per-case path.
/// A stateless worker: any silo takes a batch.
/// </summary>
public interface ICaseIntakeGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Stores in one go every draft that can be: a new reference of a new debtor. Each answer says whether that draft
    /// was created here; the others must go through their case grain (<see cref="ICaseGrain.Create"/>), which decides
    /// duplicates and conflicts. The created cases whose first step is already due are woken in the background right
    /// after (<see cref="ICaseGrain.WakeUp"/>), as their grain's own timer would have, so that a case fed in bulk is
    /// scheduled exactly as one fed alone. References must be distinct within one call.
    /// </summary>
    Task<bool[]> CreateNew(string creditorId, IReadOnlyList<CaseDraft> drafts);
}
