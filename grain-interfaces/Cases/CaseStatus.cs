namespace Recouvrement.Cases;

/// <summary>Where a case stands in its collection lifecycle.</summary>
[GenerateSerializer, Alias("rc.CaseStatus")]
public enum CaseStatus
{
    Active = 0,
    FormalNotice = 1,
    PaymentPlan = 2,
    Disputed = 3,
    OnHold = 4,
    Escalated = 5,
    Paid = 6,
    Closed = 7,
}

/// <summary>Lifecycle facts that do not depend on a policy.</summary>
public static class CaseStatuses
{
    /// <summary>Paid and closed cases never change again.</summary>
    public static bool IsFinal(this CaseStatus status) => status is CaseStatus.Paid or CaseStatus.Closed;

    /// <summary>Only these statuses let the amicable schedule send anything.</summary>
    public static bool AcceptsReminders(this CaseStatus status) => status is CaseStatus.Active or CaseStatus.FormalNotice;
}
