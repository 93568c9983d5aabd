using Recouvrement.Events;

namespace Recouvrement.Cases;

/// <summary>
/// The events a decision on a case gives rise to, read off the state before and after it (and, for a contact, the
/// receipt): one pure function, so that every transition of <see cref="CaseDecisions"/> has its events without each
/// stating them, and a transition added later cannot forget its own.
/// </summary>
public static class CaseFacts
{
    public static IReadOnlyList<EventFact> Between(CaseState before, CaseState after, CaseCommand command)
    {
        if (ReferenceEquals(before, after) || after.Draft is null)
        {
            return [];
        }

        var facts = new List<EventFact>();
        if (before.Draft is null)
        {
            facts.Add(new(EventTypes.Created, EventData.Of(new { amount = after.Draft.Amount, currency = after.Draft.Currency, issuedOn = after.Draft.IssuedOn, dueOn = after.Draft.DueOn, variant = after.Variant })));
        }

        if (command is ConfirmContact { Receipt: var receipt } && after.History.Count > 0 && after.History[^1].Kind == "contacted")
        {
            facts.Add(new(EventTypes.Contacted, EventData.Of(new { channel = receipt.Channel, stage = receipt.Stage + 1, messageId = receipt.MessageId })));
            if (before.PendingContact is { Kind: Debtors.ContactKind.FormalNotice } notice && notice.Stage == receipt.Stage)
            {
                facts.Add(new(EventTypes.FormalNoticeSent, EventData.Of(new { channel = receipt.Channel, stage = receipt.Stage + 1, messageId = receipt.MessageId })));
            }
        }

        foreach (var payment in after.Payments.Skip(before.Payments.Count))
        {
            facts.Add(new(EventTypes.PaymentReceived, EventData.Of(new
            {
                amount = payment.Amount, currency = payment.Currency, method = payment.Method, paymentReference = payment.PaymentReference,
                receivedOn = payment.ReceivedOn, balance = after.Balance, collectedBy = payment.ByAgency ? "agency" : "creditor",
            })));
        }

        if (after.Proposal is { } proposal && proposal != before.Proposal)
        {
            facts.Add(new(EventTypes.PlanProposed, EventData.Of(new { instalments = proposal.Instalments, whyNotAutomatic = proposal.WhyNotAutomatic })));
        }

        if (after.Plan is { } plan && plan.AgreedAt != before.Plan?.AgreedAt)
        {
            facts.Add(new(EventTypes.PlanAgreed, EventData.Of(new
            {
                instalments = plan.Instalments.Count, firstDueOn = plan.Instalments[0].DueOn, amount = plan.Instalments[0].Amount, byCreditor = plan.ByCreditor,
            })));
        }

        if (after.Litigation is { Status: LitigationStatus.HandedOver } handed && before.Litigation?.Status != LitigationStatus.HandedOver)
        {
            facts.Add(new(EventTypes.HandedOver, EventData.Of(new
            {
                route = LitigationEconomics.Wire(handed.Route), balance = handed.BalanceHandedOver, currency = after.Draft.Currency,
            })));
        }

        if (after.Litigation is { Status: LitigationStatus.Concluded } concluded && before.Litigation?.Status != LitigationStatus.Concluded)
        {
            facts.Add(new(EventTypes.LitigationOutcome, EventData.Of(new
            {
                route = LitigationEconomics.Wire(concluded.Route), outcome = CaseDecisions.Wire(concluded.Outcome!.Value), amount = concluded.Amount,
                currency = after.Draft.Currency,
            })));
        }

        if (after.Status != before.Status)
        {
            facts.AddRange(StatusChange(before, after));
        }

        return facts;
    }

    private static IEnumerable<EventFact> StatusChange(CaseState before, CaseState after)
    {
        if (before.Status == CaseStatus.Disputed)
        {
            yield return new(EventTypes.DisputeResolved, EventData.Of(new { decision = after.ClosedReason == "dispute_upheld" ? "uphold" : "reject" }));
        }

        if (before.Status == CaseStatus.PaymentPlan && after.Status is CaseStatus.Active or CaseStatus.FormalNotice && before.Plan is { } plan)
        {
            yield return new(EventTypes.PlanDefaulted, EventData.Of(new { instalment = plan.Honoured + 1, of = plan.Instalments.Count }));
        }

        if (before.Status == CaseStatus.OnHold && after.Status != CaseStatus.OnHold && !after.Status.IsFinal())
        {
            yield return new(EventTypes.Resumed, EventData.Empty);
        }

        switch (after.Status)
        {
            case CaseStatus.Paid:
                yield return new(EventTypes.Paid, EventData.Of(new { paid = after.Paid, currency = after.Draft!.Currency }));
                break;
            case CaseStatus.Disputed when after.Dispute is { } dispute:
                yield return new(EventTypes.Disputed, EventData.Of(new { reason = dispute.Reason }));
                break;
            case CaseStatus.OnHold:
                yield return new(EventTypes.OnHold, EventData.Empty);
                break;
            case CaseStatus.Escalated:
                yield return new(EventTypes.Escalated, EventData.Of(new
                {
                    balance = after.Balance, currency = after.Draft!.Currency, route = after.Litigation is { } l ? LitigationEconomics.Wire(l.Route) : null,
                    expectedNet = after.Decision?.ExpectedNet,
                }));
                break;
            case CaseStatus.Closed:
                yield return new(EventTypes.Closed, EventData.Of(new { reason = after.ClosedReason, balance = after.Balance, currency = after.Draft!.Currency }));
                break;
        }
    }

    /// <summary>
    /// The new state with the events of the change numbered after the case's last one, each carrying the case as it
    /// now stands for the read model; the same instance when the change gives rise to none.
    /// </summary>
    public static CaseState Stamp(CaseState before, CaseState after, CaseCommand command, string creditorId, DateTimeOffset now)
    {
        var facts = Between(before, after, command);
        if (facts.Count == 0)
        {
            return after.NewEvents.IsEmpty ? after : after with { NewEvents = [] };
        }

        var draft = after.Draft!;
        var sequence = after.EventSequence;
        var events = ImmutableList.CreateBuilder<EngineEvent>();
        foreach (var fact in facts)
        {
            sequence++;
            events.Add(new EngineEvent(Hosting.EventIds.For("case", creditorId, draft.Reference, sequence), fact.Type, creditorId, draft.Reference,
                draft.Debtor.Reference, now, sequence, fact.Data, Summary(after, fact.Type, now, sequence),
                fact.Type == EventTypes.Created ? new CaseParties(draft.Label, draft.Debtor) : null));
        }

        return after with { EventSequence = sequence, NewEvents = events.ToImmutable() };
    }

    /// <summary>The case as the read model lists it.</summary>
    public static CaseSummary Summary(CaseState state, string lastEvent, DateTimeOffset at, long sequence)
    {
        var draft = state.Draft!;
        var next = CaseDecisions.Next(state);
        return new CaseSummary(draft.Reference, draft.Debtor.Reference, state.Status, state.Stage, draft.Amount, state.Paid, state.Balance,
            draft.Currency, draft.IssuedOn, draft.DueOn, next.At, next.Action, lastEvent, state.CreatedAt, at, sequence, state.Variant);
    }
}
