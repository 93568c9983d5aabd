using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Recouvrement.Hosting;

namespace Recouvrement.Cases;

/// <summary>One unpaid bill: loads its state, asks <see cref="CaseDecisions"/> what to do, persists once, then acts.</summary>
[CollectionAgeLimit(Minutes = 5)]
public sealed partial class CaseGrain(
    [PersistentState("case", StorageNames.Default)] IPersistentState<CaseState> state,
    [FromKeyedServices(EngineClock.Key)] TimeProvider clock,
    ILogger<CaseGrain> logger) : Grain, ICaseGrain, IRemindable, IWrittenByBulkIntake
{
    public const string NextStepReminder = "next-step";

    /// <summary>If a tick's work fails, the reminder ticks again after this long.</summary>
    public static readonly TimeSpan RetryPeriod = TimeSpan.FromHours(1);

    private string CreditorId => GrainKeys.Split(this.GetPrimaryKeyString()).CreditorId;

    private ReminderAlarm? alarm;

    private ReminderAlarm Alarm => alarm ??= new(this, NextStepReminder, RetryPeriod, clock,
        () => GrainFactory.Reference<ICaseGrain>(this.GetPrimaryKeyString()).WakeUp());

    private IDebtorGrain Debtor => GrainFactory.Reference<IDebtorGrain>(GrainKeys.Compose(CreditorId, state.State.Draft!.Debtor.Reference));

    Orleans.Core.IStorage IWrittenByBulkIntake.BulkWrittenRecord => state;

    public async Task<CaseCreation> Create(CaseDraft draft)
    {
        // The case follows its debtor's variant: the one the debtor was given with its first case, or, for a new
        // debtor, the one the policy assigns it now. A policy without variants asks the debtor nothing.
        var policy = await GrainFactory.Reference<ICreditorGrain>(CreditorId).GetPolicy();
        var variant = !state.State.Exists && policy.AssignVariant(draft.Debtor.Reference) is { } proposed
            ? await GrainFactory.Reference<IDebtorGrain>(GrainKeys.Compose(CreditorId, draft.Debtor.Reference)).VariantFor(proposed)
            : state.State.Variant;
        var decision = await Decide(new OpenCase(draft, variant), policy);
        var outcome = decision.Outcome switch
        {
            CaseActionOutcome.Applied => CreationOutcome.Created,
            CaseActionOutcome.AlreadyApplied => CreationOutcome.Duplicate,
            _ => CreationOutcome.Conflict,
        };
        return new CaseCreation(outcome, View());
    }

    public Task<CaseView?> Get() => Task.FromResult(state.State.Exists ? View() : null);

    public Task<CaseActionResult> RecordPayment(PaymentReceipt payment) => Act(new ReceivePayment(payment));

    public Task<CaseActionResult> Hold() => Act(new PutOnHold());

    public Task<CaseActionResult> Resume() => Act(new ResumeSchedule());

    public Task<CaseActionResult> Cancel(string reason) => Act(new CancelCase(reason));

    public Task<bool> StillWantsContact(int stage)
    {
        var s = state.State;
        var wanted = s.PendingContact is { } pending && pending.Stage == stage
            && (s.Status.AcceptsReminders() || (pending.Kind == ContactKind.InstalmentDue && s.Status == CaseStatus.PaymentPlan));
        return Task.FromResult(wanted);
    }

    public Task Erase(string by) => Decide(new EraseCase(by));

    public Task<CaseActionResult> Dispute(string reason, string? message) => Act(new OpenDispute(reason, message));

    public Task<CaseActionResult> ResolveDispute(bool uphold, string? note) => Act(new SettleDispute(uphold, note));

    public async Task<CaseActionResult> ProposePlan(int instalments)
    {
        var settings = await GrainFactory.Reference<ICreditorGrain>(CreditorId).GetSettings();
        return await Act(new AskForPlan(instalments, settings.PlanRules));
    }

    public Task<CaseActionResult> DecidePlan(bool accept, string? note) => Act(new AnswerPlan(accept, note));

    public Task<CaseActionResult> ChooseLitigationRoute(LitigationRoute route) => Act(new ChooseRoute(route));

    public Task<CaseActionResult> HandOver() => Act(new HandOver());

    public Task<CaseActionResult> RecordLitigationOutcome(LitigationOutcome outcome, decimal? amount, string? note) =>
        Act(new ConcludeLitigation(outcome, amount, note));

    public Task<CaseRecord?> GetRecord()
    {
        var s = state.State;
        return Task.FromResult(s.Exists ? new CaseRecord(View(), s.Draft!.Debtor, s.Payments, s.CreatedAt, s.FirstContactAt, s.FirstContactMessageId) : null);
    }

    public Task ContactMade(ContactReceipt receipt) => Decide(new ConfirmContact(receipt));

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == NextStepReminder)
        {
            await WakeUp();
        }
    }

    public Task WakeUp() => Decide(new WakeUp());

    private async Task<CaseActionResult> Act(CaseCommand command)
    {
        var decision = await Decide(command);
        return new CaseActionResult(decision.Outcome, decision.Reason, state.State.Exists ? View() : null);
    }

    private async Task<CaseDecision> Decide(CaseCommand command, DunningPolicy? fetched = null)
    {
        var policy = fetched ?? (CaseDecisions.NeedsPolicy(command) ? await GrainFactory.Reference<ICreditorGrain>(CreditorId).GetPolicy() : null);
        var now = clock.GetUtcNow();
        if (command is WakeUp { Terms: null } && CaseDecisions.NeedsLitigationTerms(state.State, now, policy!))
        {
            // Only the litigation decision reads these: every other wake-up spares the creditor the call.
            command = new WakeUp(await GrainFactory.Reference<ICreditorGrain>(CreditorId).GetLitigationTerms());
            now = clock.GetUtcNow();
        }

        var decision = CaseDecisions.Decide(state.State, command, now, policy);

        // A wake-up is set before the write that needs it: one with nothing to do is harmless, a write without one is not.
        foreach (var wake in decision.Effects.OfType<WakeAt>())
        {
            await Alarm.SetAsync(wake.At);
        }

        if (!ReferenceEquals(decision.State, state.State))
        {
            var before = state.State.Status;
            // The events of the change are written with it, in one transaction (IEventSource), then let go.
            state.State = CaseFacts.Stamp(state.State, decision.State, command, CreditorId, now);
            await state.WriteStateAsync();
            if (!state.State.NewEvents.IsEmpty)
            {
                state.State = state.State with { NewEvents = [] };
            }

            if (before != decision.State.Status || command is OpenCase)
            {
                LogStatusChanged(logger, this.GetPrimaryKeyString(), before, decision.State.Status);
                EngineMetrics.CaseEntered(decision.State.Status);
            }

            if (command is ReceivePayment pay && decision.Outcome == CaseActionOutcome.Applied)
            {
                EngineMetrics.PaymentRecorded(pay.Payment.Method, pay.Payment.Amount, pay.Payment.Currency);
            }
        }

        foreach (var effect in decision.Effects)
        {
            await Perform(effect);
        }

        return decision;
    }

    private async Task Perform(CaseEffect effect)
    {
        switch (effect)
        {
            case StopWaking:
                await Alarm.StopAsync();
                break;
            case AttachToDebtor attach:
                await Debtor.Attach(state.State.Draft!.Reference, attach.Debtor, attach.Variant);
                break;
            case AskDebtorToContact ask when state.State.PendingContact == ask.Request:
                // Still wanted (an erasure interleaved with this call may have closed the case meanwhile). A debtor
                // that does not hold the case (its attachment failed after the case was stored) takes it now.
                if (!await Debtor.RequestContact(ask.Request))
                {
                    await Debtor.Attach(state.State.Draft!.Reference, state.State.Draft.Debtor, state.State.Variant);
                    await Debtor.RequestContact(ask.Request);
                }

                break;
            case WithdrawFromDebtor withdraw:
                await Debtor.Withdraw(state.State.Draft!.Reference, withdraw.Settled);
                break;
            case CountLitigationOutcome count:
                await GrainFactory.Reference<ICreditorGrain>(CreditorId).RecordLitigationOutcome(count.Route, count.HandedOver, count.Recovered);
                break;
        }
    }

    private CaseView View()
    {
        var s = state.State;
        var draft = s.Draft!;
        var next = CaseDecisions.Next(s) is ({ } at, { } action) ? new NextStep(at, action, s.Stage + 1) : null;
        return new CaseView(draft.Reference, s.Status, s.Stage, draft.Amount, s.Paid, s.Balance, draft.Currency,
            draft.IssuedOn, draft.DueOn, draft.Label, draft.Debtor.Reference, next, s.ClosedReason, s.History,
            s.Dispute, s.Plan, s.Proposal, s.Status.IsFinal() ? null : CaseDecisions.PrescriptionOn(s), s.Decision, s.Litigation, s.Variant);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Case {CaseKey} went from {Before} to {After}")]
    private static partial void LogStatusChanged(ILogger logger, string caseKey, CaseStatus before, CaseStatus after);
}
