namespace Recouvrement.Debtors;

/// <summary>Everything a debtor persists. Ids are never renumbered: stored state depends on them.</summary>
[GenerateSerializer, Alias("rc.DebtorState")]
public sealed record DebtorState
{
    [Id(0)] public DebtorDetails? Details { get; init; }
    [Id(1)] public ImmutableList<string> OpenCases { get; init; } = [];

    /// <summary>Contacts asked by cases and not sent yet, at most one per case.</summary>
    [Id(2)] public ImmutableList<ContactRequest> Pending { get; init; } = [];
    [Id(3)] public DateTimeOffset? DispatchAt { get; init; }
    [Id(4)] public ImmutableList<ContactLogEntry> Log { get; init; } = [];

    /// <summary>The last schedule stage sent for each case, so a repeated request never sends twice.</summary>
    [Id(5)] public ImmutableDictionary<string, int> LastSentStage { get; init; } = ImmutableDictionary<string, int>.Empty;
}
