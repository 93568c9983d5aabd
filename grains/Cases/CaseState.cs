namespace Recouvrement.Cases;

/// <summary>Everything a case persists. Ids are never renumbered: stored state depends on them.</summary>
[GenerateSerializer, Alias("rc.CaseState")]
public sealed record CaseState : Hosting.ICensusState, Hosting.IEventSource
{
    [Id(0)] public CaseDraft? Draft { get; init; }
    [Id(1)] public CaseStatus Status { get; init; }
    [Id(2)] public CaseStatus? StatusBeforeHold { get; init; }

    /// <summary>How many schedule steps have run.</summary>
    [Id(3)] public int Stage { get; init; }
    [Id(4)] public decimal Paid { get; init; }
    [Id(5)] public DateTimeOffset? NextStepAt { get; init; }
    [Id(6)] public DateTimeOffset? LastStepAt { get; init; }
    [Id(7)] public DateTimeOffset CreatedAt { get; init; }
    [Id(8)] public ImmutableList<CaseEvent> History { get; init; } = [];
    [Id(9)] public ImmutableList<PaymentReceipt> Payments { get; init; } = [];
    [Id(10)] public string? ClosedReason { get; init; }

    /// <summary>The contact asked of the debtor and not yet confirmed as sent.</summary>
    [Id(11)] public ContactRequest? PendingContact { get; init; }

    /// <summary>The first message's date and id: CPCE R124-4 wants them repeated in every later letter.</summary>
    [Id(12)] public DateTimeOffset? FirstContactAt { get; init; }
    [Id(13)] public string? FirstContactMessageId { get; init; }

    /// <summary>What the step at <see cref="NextStepAt"/> will do, as the API spells it.</summary>
    [Id(14)] public string? NextAction { get; init; }

    /// <summary>When the creditor put the case on hold: resuming shifts the schedule by the time spent on hold.</summary>
    [Id(15)] public DateTimeOffset? HeldAt { get; init; }

    [Id(16)] public Dispute? Dispute { get; init; }
    [Id(17)] public PaymentPlan? Plan { get; init; }
    [Id(18)] public PlanProposal? Proposal { get; init; }

    /// <summary>The last acknowledgement of the debt (a payment, an agreed plan): prescription runs again from it.</summary>
    [Id(19)] public DateTimeOffset? AcknowledgedAt { get; init; }

    /// <summary>How many disputes this case has had; numbers the one-off message that answers each.</summary>
    [Id(20)] public int Disputes { get; init; }

    /// <summary>How many plans the debtor asked for on this case (<see cref="MaxPlanRequests"/> at most).</summary>
    [Id(21)] public int PlanRequests { get; init; }

    /// <summary>When the personal data of the case was erased; its amounts, dates and references stay.</summary>
    [Id(22)] public DateTimeOffset? ErasedAt { get; init; }

    /// <summary>How many events the case has given rise to: the rank of its last one.</summary>
    [Id(23)] public long EventSequence { get; init; }

    /// <summary>The litigation decision taken at the final step or the prescription guard, with its figures.</summary>
    [Id(24)] public LitigationDecision? Decision { get; init; }

    /// <summary>An escalated case's hand-off: route, approval, hand-over and outcome.</summary>
    [Id(25)] public CaseLitigation? Litigation { get; init; }

    /// <summary>The policy variant the case follows, its debtor's (null: the policy had none when the debtor was met).</summary>
    [Id(26)] public string? Variant { get; init; }

    /// <summary>The events of the change being written, stored with it; not part of the state itself.</summary>
    [field: NonSerialized]
    public ImmutableList<Events.EngineEvent> NewEvents { get; init; } = [];

    /// <summary>How many plans a debtor may ask for on one case: a link holder cannot grow the case without bound.</summary>
    public const int MaxPlanRequests = 10;

    /// <summary>
    /// How many history entries a case keeps: the first (its creation) and the latest. The case's state is read and
    /// written whole at every step, so it must stay bounded whatever a link holder does.
    /// </summary>
    public const int MaxHistory = 500;

    public bool Exists => Draft is not null;

    /// <summary>Storage keeps the status beside the state, for the count of cases by status.</summary>
    string? Hosting.ICensusState.CensusLabel => Exists ? CaseDecisions.Wire(Status) : null;

    public decimal Balance => Draft is null ? 0m : Math.Max(0m, Draft.Amount - Paid);

    public CaseState Record(DateTimeOffset at, string kind, string? detail = null)
    {
        var history = History.Count >= MaxHistory ? History.RemoveRange(1, History.Count - MaxHistory + 1) : History;
        return this with { History = history.Add(new CaseEvent(at, kind, detail)) };
    }
}
