namespace Recouvrement.Hosting;

/// <summary>
/// The bulk path's one requirement on grains. The bulk intake (<see cref="Cases.ICaseBulkStore"/>) writes the first row
/// of a new case and of its new debtor straight into storage, and nothing stops one of those grains from being active
/// already with an empty state: an API read of a case or debtor that did not exist yet activates it, and a grain cannot
/// be known to be inactive anywhere in the cluster without a directory lookup that would race all the same. A grain
/// whose row the bulk intake may write implements this interface, and <see cref="BulkIntakeReread"/> does the rest: an
/// activation that has found no row reads it again before each call after its first (which comes right after the read
/// of activation), so that it acts on what the bulk intake wrote instead of creating it twice or answering "not found".
/// </summary>
/// <remarks>
/// It costs one read per call only to an activation without a row: a grain asked for and never created, or one about
/// to be created through its own grain. docs/architecture.md, "The bulk path", tells why this is kept rather than removed.
/// </remarks>
public interface IWrittenByBulkIntake
{
    /// <summary>The grain's persistent state, which the bulk intake may have written since this activation read it.</summary>
    Orleans.Core.IStorage BulkWrittenRecord { get; }
}

/// <summary>The silo-wide grain call filter behind <see cref="IWrittenByBulkIntake"/>; idle where the bulk intake is off (the in-memory profile).</summary>
public sealed class BulkIntakeReread(Cases.ICaseBulkStore bulk) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (bulk.Enabled && context.Grain is IWrittenByBulkIntake grain)
        {
            if (context.TargetContext.GetComponent<FirstCallSeen>() is null)
            {
                context.TargetContext.SetComponent(FirstCallSeen.Instance);
            }
            else if (!grain.BulkWrittenRecord.RecordExists)
            {
                await grain.BulkWrittenRecord.ReadStateAsync();
            }
        }

        await context.Invoke();
    }

    /// <summary>Marks an activation that has had its first call: its read of activation is no longer fresh.</summary>
    private sealed class FirstCallSeen
    {
        public static readonly FirstCallSeen Instance = new();
    }
}
