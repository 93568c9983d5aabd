namespace Recouvrement.Debtors;

/// <summary>Everything a debtor persists. Ids are never renumbered: stored state depends on them.</summary>
[GenerateSerializer, Alias("rc.DebtorState")]
public sealed record DebtorState : Hosting.IEventSource
{
    [Id(0)] public DebtorDetails? Details { get; init; }
    [Id(1)] public ImmutableList<string> OpenCases { get; init; } = [];

    /// <summary>Contacts asked by cases and not sent yet, at most one per case.</summary>
    [Id(2)] public ImmutableList<ContactRequest> Pending { get; init; } = [];
    [Id(3)] public DateTimeOffset? DispatchAt { get; init; }
    [Id(4)] public ImmutableList<ContactLogEntry> Log { get; init; } = [];

    /// <summary>The last schedule stage sent for each case, so a repeated request never sends twice.</summary>
    [Id(5)] public ImmutableDictionary<string, int> LastSentStage { get; init; } = ImmutableDictionary<string, int>.Empty;

    /// <summary>Contact points a provider said are dead, by channel; a point is disabled only while its value is unchanged.</summary>
    [Id(6)] public ImmutableDictionary<Channel, DisabledPoint> Disabled { get; init; } = ImmutableDictionary<Channel, DisabledPoint>.Empty;

    /// <summary>When the debtor replied STOP; null while SMS is allowed.</summary>
    [Id(7)] public DateTimeOffset? SmsOptOutAt { get; init; }

    /// <summary>
    /// Messages handed to a channel whose answer is not recorded yet. Written before the first send, so after a
    /// crash they are known to be in doubt and are never sent again.
    /// </summary>
    [Id(8)] public ImmutableList<InFlightMessage> InFlight { get; init; } = [];

    /// <summary>The phone number registered in <see cref="IPhoneNumberGrain"/>, so replies from it reach this debtor.</summary>
    [Id(9)] public string? IndexedPhone { get; init; }

    /// <summary>What the debtor changed themselves, for the creditor (CPCE R124-5).</summary>
    [Id(10)] public ImmutableList<CaseEvent> Changes { get; init; } = [];

    /// <summary>
    /// The creditor's details as they were when the debtor corrected them: a later case fed with those same old
    /// values does not undo the debtor's correction, while a value the creditor changed since does apply.
    /// </summary>
    [Id(11)] public DebtorDetails? CorrectedFrom { get; init; }

    /// <summary>The debtor's cases that were paid, closed or cancelled: an erasure erases them too.</summary>
    [Id(12)] public ImmutableList<string> SettledCases { get; init; } = [];

    /// <summary>
    /// When the debtor's personal data is erased for good, once its last case settled and the retention period ran
    /// (<see cref="RetentionOptions.ClosedCaseDays"/>); null while a case is open.
    /// </summary>
    [Id(13)] public DateTimeOffset? ForgetAt { get; init; }

    /// <summary>That the debtor's personal data was erased, when and by whom.</summary>
    [Id(14)] public Erasure? Erasure { get; init; }

    /// <summary>How many events the debtor has given rise to: the rank of its last one.</summary>
    [Id(15)] public long EventSequence { get; init; }

    /// <summary>
    /// The policy variant all of this debtor's cases follow, given with its first case and kept for good, so that a
    /// change of the variants' weights moves only new debtors (null: the policy had no variants then).
    /// </summary>
    [Id(16)] public string? Variant { get; init; }

    /// <summary>The events of the change being written, stored with it; not part of the state itself.</summary>
    [field: NonSerialized]
    public ImmutableList<Events.EngineEvent> NewEvents { get; init; } = [];
}

/// <summary>A contact point a provider refused: which value, why, since when.</summary>
[GenerateSerializer, Immutable, Alias("rc.DisabledPoint")]
public sealed record DisabledPoint(
    [property: Id(0)] string Value,
    [property: Id(1)] string Reason,
    [property: Id(2)] DateTimeOffset Since);
