namespace Recouvrement.Cases;

/// <summary>
/// Creates many new cases of one creditor in one database transaction, beside the one-grain-per-case path.
/// A stateless worker: any silo takes a batch.
/// </summary>
public interface ICaseIntakeGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Stores in one go every draft that can be: a new reference, a new debtor, a first step later than the
    /// reminder service's next look at its table. Each answer says whether that draft was created here; the
    /// others must go through their case grain (<see cref="ICaseGrain.Create"/>), which decides duplicates and
    /// conflicts. References must be distinct within one call.
    /// </summary>
    Task<bool[]> CreateNew(string creditorId, IReadOnlyList<CaseDraft> drafts);
}
