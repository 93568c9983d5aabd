namespace Recouvrement.Cases;

/// <summary>Something that happens to a case: a creditor action, a timer, a debtor's confirmation.</summary>
public abstract record CaseCommand;

/// <summary>A new case; <paramref name="Variant"/> is the policy variant its debtor follows (null: the policy has none).</summary>
public sealed record OpenCase(CaseDraft Draft, string? Variant = null) : CaseCommand;

/// <summary>The case's reminder ticked. <paramref name="Terms"/>: the creditor's litigation terms, when a decision may fall due (else the defaults).</summary>
public sealed record WakeUp(LitigationTerms? Terms = null) : CaseCommand;

public sealed record ReceivePayment(PaymentReceipt Payment) : CaseCommand;

public sealed record PutOnHold : CaseCommand;

public sealed record ResumeSchedule : CaseCommand;

public sealed record CancelCase(string Reason) : CaseCommand;

public sealed record ConfirmContact(ContactReceipt Receipt) : CaseCommand;

public sealed record OpenDispute(string Reason, string? Message) : CaseCommand;

public sealed record SettleDispute(bool Uphold, string? Note) : CaseCommand;

/// <summary>The debtor asks for a plan; <paramref name="Rules"/> are the creditor's automatic ones.</summary>
public sealed record AskForPlan(int Instalments, PlanRules Rules) : CaseCommand;

public sealed record AnswerPlan(bool Accept, string? Note) : CaseCommand;

/// <summary>The debtor's personal data is erased (GDPR art. 17); <paramref name="By"/> is who asked.</summary>
public sealed record EraseCase(string By) : CaseCommand;

/// <summary>The creditor approves the hand-off of an escalated case on <paramref name="Route"/>, or changes it (<c>write_off</c> closes the case).</summary>
public sealed record ChooseRoute(LitigationRoute Route) : CaseCommand;

/// <summary>The case went to a litigation partner (the export hands it over).</summary>
public sealed record HandOver : CaseCommand;

/// <summary>The partner's outcome; <paramref name="Amount"/> is what it recovered.</summary>
public sealed record ConcludeLitigation(LitigationOutcome Outcome, decimal? Amount, string? Note) : CaseCommand;

/// <summary>What a decision asks the grain to do once the new state is persisted.</summary>
public abstract record CaseEffect;

public sealed record WakeAt(DateTimeOffset At) : CaseEffect;

public sealed record StopWaking : CaseEffect;

/// <summary>Link the case to its debtor; a debtor without cases yet records <paramref name="Variant"/> as its own.</summary>
public sealed record AttachToDebtor(DebtorDetails Debtor, string? Variant = null) : CaseEffect;

public sealed record AskDebtorToContact(ContactRequest Request) : CaseEffect;

/// <summary>Drop the case's queued contact; a settled case also leaves the debtor's open cases.</summary>
public sealed record WithdrawFromDebtor(bool Settled) : CaseEffect;

/// <summary>Count a concluded hand-off in the creditor's history of its route.</summary>
public sealed record CountLitigationOutcome(LitigationRoute Route, decimal HandedOver, decimal Recovered) : CaseEffect;

/// <summary>The new state, what to do next, and how the command ended for whoever sent it.</summary>
public sealed record CaseDecision(
    CaseState State,
    ImmutableArray<CaseEffect> Effects,
    CaseActionOutcome Outcome,
    string? Reason = null);
