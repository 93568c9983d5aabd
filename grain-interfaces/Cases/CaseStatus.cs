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

    /// <summary>The status as the API spells it: <c>formal_notice</c>, <c>payment_plan</c>, <c>on_hold</c>…</summary>
    public static string Wire(CaseStatus status) => status switch
    {
        CaseStatus.FormalNotice => "formal_notice",
        CaseStatus.PaymentPlan => "payment_plan",
        CaseStatus.OnHold => "on_hold",
        _ => status.ToString().ToLowerInvariant(),
    };

    /// <summary>The status a wire spelling names (<see cref="Wire"/>), or null for none.</summary>
    public static CaseStatus? TryParse(string? wire) =>
        Enum.GetValues<CaseStatus>().Select(s => (CaseStatus?)s).FirstOrDefault(s => Wire(s!.Value) == wire);

    public static CaseStatus Parse(string wire) => TryParse(wire) ?? throw new FormatException($"no case status '{wire}'");
}
