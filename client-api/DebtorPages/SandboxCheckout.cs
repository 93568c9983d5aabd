using Recouvrement.Api.Payments;
using Recouvrement.Payments;
using static Recouvrement.Api.DebtorPages.Html;

namespace Recouvrement.Api.DebtorPages;

/// <summary>
/// The sandbox provider's checkout page: it shows what is about to be paid and takes a fake card payment. Paying
/// records the payments exactly as a provider's webhook does, idempotent on the session id. Not served once a real
/// provider is configured.
/// </summary>
public static class SandboxCheckout
{
    public static async Task<IResult> Show(string id, IGrainFactory grains, IPaymentProvider provider)
    {
        if (provider is not SandboxPaymentProvider || await grains.Reference<ICheckoutGrain>(id).Get() is not { } session)
        {
            return Results.NotFound();
        }

        var cancel = session.ReturnUrl.Replace("done=paid", "done=cancelled", StringComparison.Ordinal);
        var body = $"<h1>Paiement de test (sandbox)</h1><p class=\"status\">Aucune carte réelle n'est débitée : ce fournisseur de paiement est simulé.</p>" +
            $"<div class=\"card\"><dl><dt>Montant</dt><dd>{Money(session.Total, session.Currency, "fr")}</dd>" +
            $"<dt>Factures</dt><dd>{E(string.Join(", ", session.Items.Select(i => i.CaseReference)))}</dd></dl>" +
            $"<form method=\"post\" action=\"/sandbox/checkout/{E(id)}/pay\"><label for=\"card\">Numéro de carte (test)</label>" +
            $"<input id=\"card\" name=\"card\" inputmode=\"numeric\" autocomplete=\"off\" value=\"4242 4242 4242 4242\">" +
            $"<button type=\"submit\">Payer {Money(session.Total, session.Currency, "fr")}</button></form>" +
            $"<p><a href=\"{E(cancel)}\">Annuler et revenir</a></p></div>";
        return Results.Content(Page("fr", "Paiement de test", body), "text/html; charset=utf-8");
    }

    public static async Task<IResult> Pay(string id, IGrainFactory grains, IPaymentProvider provider, TimeProvider time)
    {
        if (provider is not SandboxPaymentProvider || await grains.Reference<ICheckoutGrain>(id).MarkPaid() is not { } session)
        {
            return Results.NotFound();
        }

        await CheckoutPayments.RecordAsync(grains, session.DebtorKey, session.Items, session.Currency, session.Id, "card", DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        return Results.Redirect(session.ReturnUrl);
    }
}
