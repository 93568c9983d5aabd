namespace Recouvrement.Hosting;

/// <summary>
/// A grain state that storage writes with a label beside it (a case's status), so that the engine counts the states
/// of each label from the table itself (<c>recouvrement.cases</c>): counts that neither a restart nor a silo's death
/// can lose, as counters kept in memory would.
/// </summary>
public interface ICensusState
{
    /// <summary>The label stored with the state; null for a state that is not counted.</summary>
    string? CensusLabel { get; }
}
