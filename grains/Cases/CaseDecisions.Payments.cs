namespace Recouvrement.Cases;

/// <summary>Payments: money received is always recorded, whatever the status; a zero balance pays the case.</summary>
public static partial class CaseDecisions
{
    private static CaseDecision Pay(CaseState state, PaymentReceipt payment, DateTimeOffset now)
    {
        if (payment.Amount <= 0m)
        {
            return Unchanged(state, CaseActionOutcome.Refused, "a payment amount must be positive");
        }

        if (!string.Equals(payment.Currency, state.Draft!.Currency, StringComparison.Ordinal))
        {
            return Unchanged(state, CaseActionOutcome.Refused, $"the case is in {state.Draft.Currency}, not {payment.Currency}");
        }

        var earlier = state.Payments.Find(p => p.PaymentReference == payment.PaymentReference);
        if (earlier is not null)
        {
            // Who collected it is not a detail a redelivery can contradict: a payment stored before the collector was recorded stays the same payment.
            return earlier with { ByAgency = payment.ByAgency } == payment
                ? Unchanged(state, CaseActionOutcome.AlreadyApplied)
                : Unchanged(state, CaseActionOutcome.Refused, "this payment reference was already recorded with other details");
        }

        // Money received is always recorded, whatever the status: a payment is never lost.
        var balanceBefore = state.Balance;
        var after = state with { Paid = state.Paid + payment.Amount, Payments = state.Payments.Add(payment), AcknowledgedAt = now };
        after = after.Record(now, "payment_received",
            $"{Money(payment.Amount, payment.Currency)} by {payment.Method}, ref {payment.PaymentReference}; balance {Money(after.Balance, payment.Currency)}");
        if (payment.Amount > balanceBefore)
        {
            after = after.Record(now, "overpayment", Money(payment.Amount - balanceBefore, payment.Currency));
        }

        if (after.Balance > 0m || state.Status.IsFinal())
        {
            return Applied(after);
        }

        after = (after with { Status = CaseStatus.Paid, NextStepAt = null, NextAction = null, PendingContact = null, StatusBeforeHold = null, Plan = null, Proposal = null })
            .Record(now, "paid");
        return Applied(after, new StopWaking(), new WithdrawFromDebtor(Settled: true));
    }
}
