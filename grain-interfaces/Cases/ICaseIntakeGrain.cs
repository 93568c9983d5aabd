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
    /// duplicates and conflicts. The created cases whose first step falls before the reminder service would see their
    /// row are listed in <see cref="BulkCreation.WakeNow"/>: the caller wakes them (<see cref="ICaseGrain.WakeUp"/>),
    /// as their grain's own timer would have, so that a case fed in bulk is scheduled exactly as one fed alone.
    /// References must be distinct within one call.
    /// </summary>
    Task<BulkCreation> CreateNew(string creditorId, IReadOnlyList<CaseDraft> drafts);
}

/// <summary>
/// What one bulk intake call did: for each draft, whether it was created here; and the positions of the created
/// drafts to wake at once, their first step being due before their reminder row is surely read (their row stays,
/// due a little later, as the backup should the wake-up be lost).
/// </summary>
[GenerateSerializer, Immutable, Alias("rc.BulkCreation")]
public sealed record BulkCreation(
    [property: Id(0)] IReadOnlyList<bool> Created,
    [property: Id(1)] IReadOnlyList<int> WakeNow);
