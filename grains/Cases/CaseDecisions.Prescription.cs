using Recouvrement.Calendar;

namespace Recouvrement.Cases;

/// <summary>The prescription clock: a claim is escalated or closed well before it can no longer be collected.</summary>
public static partial class CaseDecisions
{
    /// <summary>How many days before the claim prescribes the engine escalates or closes it.</summary>
    public const int PrescriptionMarginDays = 60;

    /// <summary>
    /// The day the claim prescribes: two years for a consumer (Code de la consommation L218-2), five otherwise
    /// (Code civil 2224), from the due date or the last acknowledgement of the debt (a payment, an agreed plan).
    /// </summary>
    public static DateOnly PrescriptionOn(CaseState state)
    {
        var from = state.AcknowledgedAt is { } at ? ParisTime.DateOf(at) : state.Draft!.DueOn;
        return Prescription.On(from, state.Draft!.Debtor.Kind);
    }

    /// <summary>When an open case must be escalated or closed at the latest, or null when nothing runs any more.</summary>
    public static DateTimeOffset? PrescriptionGuard(CaseState state) =>
        state.Draft is null || state.Status.IsFinal() || state.Status == CaseStatus.Escalated
            ? null
            : ParisTime.StartOfDay(PrescriptionOn(state).AddDays(-PrescriptionMarginDays));

    private static CaseDecision Prescribe(CaseState state, DateTimeOffset now, DunningPolicy policy, LitigationTerms terms)
    {
        var cleared = state with
        { NextStepAt = null, NextAction = null, PendingContact = null, StatusBeforeHold = null, HeldAt = null, Plan = null, Proposal = null };
        var after = Litigate(cleared, now, policy, terms, "prescription", "prescription");
        var worth = after.Status == CaseStatus.Escalated;
        after = after with { History = after.History.SetItem(after.History.Count - 1, after.History[^1] with
        {
            Detail = $"the claim prescribes on {PrescriptionOn(state):yyyy-MM-dd}: {(worth ? "handed to litigation before it does" : "closed, no legal route is worth its cost")}",
        }) };
        return Applied(after, new StopWaking(), new WithdrawFromDebtor(Settled: !worth));
    }
}
