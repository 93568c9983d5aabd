using System.Collections.Frozen;

namespace Recouvrement.Cases;

/// <summary>The erasure of a case's personal data (GDPR art. 17), which keeps what accounting needs.</summary>
public static partial class CaseDecisions
{
    /// <summary>
    /// History entries whose detail holds only amounts, dates, stages and message ids: an erasure keeps their detail.
    /// Every other detail may quote the debtor or the creditor (a dispute, a note, a reason) and is dropped.
    /// </summary>
    private static readonly FrozenSet<string> FiguresOnly = FrozenSet.ToFrozenSet(
    [
        "created", "payment_received", "overpayment", "paid", "reminder_due", "formal_notice_due", "contacted",
        "instalment_due", "escalated", "closed", "plan_proposed", "plan_missed", "plan_ended", "on_hold", "resumed", "erased",
    ], StringComparer.Ordinal);

    /// <summary>
    /// Erases the debtor's identity and contact points, the label (a lab's may name the analysis), and every free
    /// word of the debtor or the creditor; keeps amounts, dates, payments, stages and references. An open case closes
    /// as <c>erased</c>: nobody can be reached about it any more. The case does not tell its debtor, which erases itself.
    /// </summary>
    private static CaseDecision Erase(CaseState state, string by, DateTimeOffset now)
    {
        if (state.ErasedAt is not null)
        {
            return Unchanged(state, CaseActionOutcome.AlreadyApplied);
        }

        var draft = state.Draft!;
        var after = state with
        {
            Draft = draft with { Label = null, Debtor = draft.Debtor.Erased() },
            Dispute = state.Dispute is { } dispute ? dispute with { Message = null } : null,
            History = [.. state.History.Select(e => FiguresOnly.Contains(e.Kind) ? e : e with { Detail = null })],
            PendingContact = null,
            ErasedAt = now,
        };
        if (!state.Status.IsFinal())
        {
            after = after with
            {
                Status = CaseStatus.Closed,
                ClosedReason = "erased",
                NextStepAt = null,
                NextAction = null,
                StatusBeforeHold = null,
                HeldAt = null,
                Plan = null,
                Proposal = null,
            };
        }

        return Applied(after.Record(now, "erased", $"personal data erased by {by}"), new StopWaking());
    }
}
