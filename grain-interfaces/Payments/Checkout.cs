namespace Recouvrement.Payments;

/// <summary>One case a debtor pays in a checkout, and how much.</summary>
[GenerateSerializer, Immutable, Alias("rc.CheckoutItem")]
public sealed record CheckoutItem(
    [property: Id(0)] string CaseReference,
    [property: Id(1)] decimal Amount);

/// <summary>A card payment a debtor started from the payment page, with the built-in sandbox provider.</summary>
[GenerateSerializer, Immutable, Alias("rc.CheckoutSession")]
public sealed record CheckoutSession(
    [property: Id(0)] string Id,
    [property: Id(1)] string DebtorKey,
    [property: Id(2)] IReadOnlyList<CheckoutItem> Items,
    [property: Id(3)] string Currency,
    [property: Id(4)] string ReturnUrl,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] bool Paid)
{
    public decimal Total => Items.Sum(i => i.Amount);
}

/// <summary>One sandbox checkout session, keyed by its id.</summary>
public interface ICheckoutGrain : IGrainWithStringKey
{
    Task Open(CheckoutSession session);

    [ReadOnly]
    Task<CheckoutSession?> Get();

    /// <summary>Marks the session paid; returns it, or null when it does not exist.</summary>
    Task<CheckoutSession?> MarkPaid();
}
