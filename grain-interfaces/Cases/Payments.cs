namespace Recouvrement.Cases;

/// <summary>
/// Money received for a case: reported by the creditor (bank transfer, cheque, cash at the counter) or collected by the
/// agency (<paramref name="ByAgency"/>: the debtor paid on the payment page), which the commission statement tells apart.
/// </summary>
[GenerateSerializer, Immutable, Alias("rc.PaymentReceipt")]
public sealed record PaymentReceipt(
    [property: Id(0)] string PaymentReference,
    [property: Id(1)] decimal Amount,
    [property: Id(2)] string Currency,
    [property: Id(3)] DateOnly ReceivedOn,
    [property: Id(4)] string Method,
    [property: Id(5)] bool ByAgency = false);

/// <summary>The answer to a creditor action on a case: done, already done, or refused with a reason.</summary>
[GenerateSerializer, Immutable, Alias("rc.CaseActionResult")]
public sealed record CaseActionResult(
    [property: Id(0)] CaseActionOutcome Outcome,
    [property: Id(1)] string? Reason,
    [property: Id(2)] CaseView? Case);

/// <summary>How a creditor action ended.</summary>
[GenerateSerializer, Alias("rc.CaseActionOutcome")]
public enum CaseActionOutcome
{
    Applied = 0,
    AlreadyApplied = 1,
    Refused = 2,
    NotFound = 3,
}
