using Recouvrement.Calendar;

namespace Recouvrement.Cases;

/// <summary>The schedule: when each step falls due, and what a step does when the case wakes for it.</summary>
public static partial class CaseDecisions
{
    /// <summary>When the schedule's step <paramref name="stage"/> falls due, or null when the schedule is over.</summary>
    /// <remarks>
    /// A step runs on its calendar day (due date + n, from midnight Paris time) but never sooner after the
    /// previous step than the policy's gap between them: a case fed late starts at step one and keeps its pace
    /// instead of receiving every overdue step at once.
    /// </remarks>
    public static DateTimeOffset? StepTime(CaseState state, DunningPolicy policy, int stage)
    {
        if (state.Draft is null || stage >= policy.Steps.Count)
        {
            return null;
        }

        var step = policy.Steps[stage];
        var onCalendar = ParisTime.StartOfDay(state.Draft.DueOn.AddDays(step.DayAfterDue));
        var earliest = stage == 0 || state.LastStepAt is null
            ? state.CreatedAt
            : state.LastStepAt.Value.AddDays(Math.Max(0, step.DayAfterDue - policy.Steps[stage - 1].DayAfterDue));
        return onCalendar > earliest ? onCalendar : earliest;
    }

    private static CaseDecision Wake(CaseState state, DateTimeOffset now, DunningPolicy policy, LitigationTerms terms)
    {
        if (PrescriptionGuard(state) is { } guard && now >= guard)
        {
            return Prescribe(state, now, policy, terms);
        }

        if (state.Status == CaseStatus.PaymentPlan)
        {
            return PlanStep(state, now, policy);
        }

        if (!state.Status.AcceptsReminders() || state.NextStepAt is null)
        {
            return Unchanged(state, CaseActionOutcome.AlreadyApplied, effects: [Arm(state, null)]);
        }

        if (now < state.NextStepAt.Value)
        {
            // An early or repeated tick. If the last contact never reached the debtor, ask again (the debtor
            // ignores a stage it already sent), then re-arm for the real due time.
            var effects = state.PendingContact is { } pending
                ? ImmutableArray.Create<CaseEffect>(new AskDebtorToContact(pending), Arm(state, state.NextStepAt))
                : [Arm(state, state.NextStepAt)];
            return Unchanged(state, CaseActionOutcome.AlreadyApplied, effects: effects);
        }

        if (state.Stage >= policy.Steps.Count)
        {
            return Applied(Scheduled(state, policy, null), new StopWaking());
        }

        var step = policy.Steps[state.Stage];
        var stage = state.Stage;
        var after = state with { Stage = stage + 1, LastStepAt = now };
        var effects2 = ImmutableArray.CreateBuilder<CaseEffect>();
        switch (step.Action)
        {
            case StepAction.Reminder:
            case StepAction.FormalNotice:
                var kind = step.Action == StepAction.FormalNotice ? ContactKind.FormalNotice : ContactKind.Reminder;
                if (kind == ContactKind.FormalNotice)
                {
                    after = after with { Status = CaseStatus.FormalNotice };
                }

                if (step.Channels.Count > 0)
                {
                    // A dispute answer not sent yet travels with the step that replaces it, so the debtor still reads why.
                    var request = new ContactRequest(
                        after.Draft!.Reference, stage, kind, step.Channels, after.Balance, after.Draft.Currency,
                        after.Draft.IssuedOn, after.Draft.Label, now, after.Draft.DueOn, after.Draft.Amount, after.Paid,
                        after.FirstContactAt, after.FirstContactMessageId,
                        Note: state.PendingContact is { Kind: ContactKind.DisputeAnswer } answer ? answer.Note : null);
                    after = after with { PendingContact = request };
                    effects2.Add(new AskDebtorToContact(request));
                }

                after = after.Record(now, kind == ContactKind.FormalNotice ? "formal_notice_due" : "reminder_due",
                    $"stage {stage + 1}: {string.Join('+', step.Channels).ToLowerInvariant()}");
                break;
            case StepAction.FinalDecision:
                after = Litigate(after, now, policy, terms, "final_decision", "uneconomic");
                effects2.Add(new WithdrawFromDebtor(Settled: after.Status == CaseStatus.Closed));
                break;
        }

        after = Scheduled(after, policy, after.Status.AcceptsReminders() ? StepTime(after, policy, after.Stage) : null);
        effects2.Add(Arm(after, after.NextStepAt));
        return new CaseDecision(after, effects2.ToImmutable(), CaseActionOutcome.Applied);
    }

    /// <summary>
    /// Whether a wake-up at <paramref name="now"/> would take the litigation decision (the final step, or the prescription
    /// guard): only then does the grain fetch the creditor's litigation terms.
    /// </summary>
    public static bool NeedsLitigationTerms(CaseState state, DateTimeOffset now, DunningPolicy policy) =>
        state.Exists
        && ((PrescriptionGuard(state) is { } guard && now >= guard)
            || (state.Status.AcceptsReminders() && state.NextStepAt is { } at && now >= at && state.Stage < policy.Steps.Count
                && policy.Steps[state.Stage].Action == StepAction.FinalDecision));

    /// <summary>What the case does next and when: a plan's instalment notice or check, or the schedule's next step; nothing once it stopped.</summary>
    public static (DateTimeOffset? At, string? Action) Next(CaseState state) =>
        state.Status == CaseStatus.PaymentPlan && NextPlanEvent(state) is { } planned
            ? (planned, PlanAction(state))
            : state.NextStepAt is { } at && state.Status.AcceptsReminders() ? (at, state.NextAction ?? "none") : (null, null);
}
