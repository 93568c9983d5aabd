namespace Recouvrement.Cases;

/// <summary>Disputes: every reminder stops at once, and the creditor decides.</summary>
public static partial class CaseDecisions
{
    /// <summary>The status a paused case returns to, and since when it was paused.</summary>
    private static (CaseStatus Status, DateTimeOffset Since) Paused(CaseState state, DateTimeOffset now) => state.Status switch
    {
        CaseStatus.OnHold or CaseStatus.PaymentPlan or CaseStatus.Disputed => (state.StatusBeforeHold ?? CaseStatus.Active, state.HeldAt ?? now),
        _ => (state.Status, now),
    };

    private static CaseDecision Contest(CaseState state, OpenDispute dispute, DateTimeOffset now, DunningPolicy policy)
    {
        if (state.Status == CaseStatus.Disputed)
        {
            return Unchanged(state, CaseActionOutcome.AlreadyApplied);
        }

        if (state.Status.IsFinal() || state.Status == CaseStatus.Escalated)
        {
            return Unchanged(state, CaseActionOutcome.Refused, $"a {Wire(state.Status)} case cannot be disputed here");
        }

        var (before, since) = Paused(state, now);
        var after = (state with
        {
            Status = CaseStatus.Disputed,
            StatusBeforeHold = before,
            HeldAt = since,
            Dispute = new Dispute(dispute.Reason, dispute.Message, now),
            Disputes = state.Disputes + 1,
            PendingContact = null,
            Plan = null,
            Proposal = null,
        }).Record(now, "disputed", dispute.Message is null ? dispute.Reason : $"{dispute.Reason}: {dispute.Message}");
        if (state.Status == CaseStatus.PaymentPlan)
        {
            after = after.Record(now, "plan_ended", "the debtor disputed the case");
        }

        return Applied(after, new WithdrawFromDebtor(Settled: false), Arm(after, null));
    }

    private static CaseDecision Settle(CaseState state, SettleDispute settle, DateTimeOffset now, DunningPolicy policy)
    {
        if (state.Status != CaseStatus.Disputed)
        {
            return Unchanged(state, CaseActionOutcome.Refused, "the case is not disputed");
        }

        if (settle.Uphold)
        {
            var closed = (state with
            {
                Status = CaseStatus.Closed,
                ClosedReason = "dispute_upheld",
                NextStepAt = null,
                NextAction = null,
                StatusBeforeHold = null,
                HeldAt = null,
            }).Record(now, "dispute_upheld", settle.Note);
            return Applied(closed, new StopWaking(), new WithdrawFromDebtor(Settled: true));
        }

        var resumed = ResumeFromPause(state, now, policy).Record(now, "dispute_rejected", settle.Note);
        var answer = Request(resumed, ContactStages.DisputeAnswer(state.Disputes), ContactKind.DisputeAnswer, [Channel.Email], now) with { Note = settle.Note };
        resumed = resumed with { PendingContact = answer };
        return Applied(resumed, new AskDebtorToContact(answer), Arm(resumed, resumed.NextStepAt));
    }
}
