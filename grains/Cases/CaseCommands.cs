namespace Recouvrement.Cases;

/// <summary>Something that happens to a case: a creditor action, a timer, a debtor's confirmation.</summary>
public abstract record CaseCommand;

/// <summary>A new case; <paramref name="Variant"/> is the policy variant its debtor follows (null: the policy has none).</summary>
public sealed record OpenCase(CaseDraft Draft, string? Variant = null) : CaseCommand;

/// <summary>The case's reminder ticked.</summary>
public sealed record WakeUp : CaseCommand;

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

/// <summary>What a decision asks the grain to do once the new state is persisted.</summary>
public abstract record CaseEffect;

public sealed record WakeAt(DateTimeOffset At) : CaseEffect;

public sealed record StopWaking : CaseEffect;

/// <summary>Link the case to its debtor; a debtor without cases yet records <paramref name="Variant"/> as its own.</summary>
public sealed record AttachToDebtor(DebtorDetails Debtor, string? Variant = null) : CaseEffect;

public sealed record AskDebtorToContact(ContactRequest Request) : CaseEffect;

/// <summary>Drop the case's queued contact; a settled case also leaves the debtor's open cases.</summary>
public sealed record WithdrawFromDebtor(bool Settled) : CaseEffect;

/// <summary>The new state, what to do next, and how the command ended for whoever sent it.</summary>
public sealed record CaseDecision(
    CaseState State,
    ImmutableArray<CaseEffect> Effects,
    CaseActionOutcome Outcome,
    string? Reason = null);
