using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Recouvrement.Payments;
using Stripe;
using Stripe.Checkout;

namespace Recouvrement.Api.Payments;

/// <summary>What the debtor is about to pay, and where to send them back.</summary>
public sealed record CheckoutRequest(string DebtorKey, IReadOnlyList<CheckoutItem> Items, string Currency, string ReturnUrl, string CancelUrl);

/// <summary>Takes a card payment: returns the address of the provider's checkout page.</summary>
public interface IPaymentProvider
{
    Task<string> StartCheckoutAsync(CheckoutRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// The embedded default: a fake checkout page served by the engine itself, so the whole flow runs without
/// credentials. Paying there records the payment exactly as a provider's webhook would.
/// </summary>
public sealed class SandboxPaymentProvider(IGrainFactory grains, TimeProvider time) : IPaymentProvider
{
    public async Task<string> StartCheckoutAsync(CheckoutRequest request, CancellationToken cancellationToken)
    {
        var id = "cs_sandbox_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await grains.Reference<ICheckoutGrain>(id).Open(new CheckoutSession(id, request.DebtorKey, request.Items, request.Currency, request.ReturnUrl, time.GetUtcNow(), false));
        return $"/sandbox/checkout/{id}";
    }
}

/// <summary>
/// Stripe Checkout through Stripe.net, over the typed <see cref="HttpClient"/> it is given (timeout from
/// <see cref="StripeOptions.Timeout"/>): one line per case; the cases travel in the session's metadata.
/// </summary>
public sealed class StripePaymentProvider(HttpClient http, IOptions<StripeOptions> options) : IPaymentProvider
{
    /// <summary>Where Stripe Checkout pages live: the debtor page's pay form ends there, through a redirect.</summary>
    public const string CheckoutOrigin = "https://checkout.stripe.com";

    private readonly SessionService _sessions = new(new StripeClient(
        apiKey: options.Value.SecretKey,
        httpClient: new SystemNetHttpClient(http, StripeConfiguration.MaxNetworkRetries),
        apiBase: options.Value.ApiBase));

    public async Task<string> StartCheckoutAsync(CheckoutRequest request, CancellationToken cancellationToken)
    {
        var metadata = new Dictionary<string, string> { ["debtor"] = request.DebtorKey, ["cases"] = CheckoutPayments.Describe(request.Items) };
        var session = await _sessions.CreateAsync(new SessionCreateOptions
        {
            Mode = "payment",
            SuccessUrl = request.ReturnUrl,
            CancelUrl = request.CancelUrl,
            ClientReferenceId = request.DebtorKey.Replace('/', '_'),
            Metadata = metadata,
            PaymentIntentData = new SessionPaymentIntentDataOptions { Metadata = metadata },
            LineItems = [.. request.Items.Select(i => new SessionLineItemOptions
            {
                Quantity = 1,
                PriceData = new SessionLineItemPriceDataOptions
                {
                    Currency = request.Currency.ToLowerInvariant(),
                    UnitAmount = (long)decimal.Round(i.Amount * 100m),
                    ProductData = new SessionLineItemPriceDataProductDataOptions { Name = $"Facture réf. {i.CaseReference}" },
                },
            })],
        }, cancellationToken: cancellationToken);
        return session.Url;
    }
}

/// <summary>Turns a paid checkout into payments on its cases, idempotent on the provider's payment id.</summary>
public static class CheckoutPayments
{
    /// <summary>The cases as metadata: <c>FAC-1:4250;FAC-2:1000</c> (amounts in cents).</summary>
    public static string Describe(IEnumerable<CheckoutItem> items) =>
        string.Join(';', items.Select(i => string.Create(CultureInfo.InvariantCulture, $"{i.CaseReference}:{(long)decimal.Round(i.Amount * 100m)}")));

    public static IReadOnlyList<CheckoutItem>? Parse(string? described)
    {
        if (string.IsNullOrEmpty(described))
        {
            return null;
        }

        var items = new List<CheckoutItem>();
        foreach (var part in described.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = part.LastIndexOf(':');
            if (colon <= 0 || !long.TryParse(part[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var cents))
            {
                return null;
            }

            items.Add(new CheckoutItem(part[..colon], cents / 100m));
        }

        return items;
    }

    /// <summary>Records one payment per case; the same provider id delivered again records nothing more.</summary>
    public static async Task<int> RecordAsync(IGrainFactory grains, string debtorKey, IEnumerable<CheckoutItem> items, string currency, string providerId, string method, DateOnly on)
    {
        var creditor = GrainKeys.Split(debtorKey).CreditorId;
        var recorded = 0;
        foreach (var item in items)
        {
            var result = await grains.Reference<ICaseGrain>(GrainKeys.Compose(creditor, item.CaseReference))
                .RecordPayment(new PaymentReceipt($"{providerId}:{item.CaseReference}", item.Amount, currency.ToUpperInvariant(), on, method, ByAgency: true));
            if (result.Outcome == CaseActionOutcome.Applied)
            {
                recorded++;
            }
        }

        return recorded;
    }
}
