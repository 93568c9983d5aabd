using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Recouvrement.Api.Payments;
using Recouvrement.Messaging;
using Recouvrement.Payments;
using static Recouvrement.Api.DebtorPages.Html;

namespace Recouvrement.Api.DebtorPages;

/// <summary>
/// The debtor's page behind <c>/p/{token}</c>: their open cases with the R124-4 information, and what they can do —
/// pay by card, ask for a payment plan, dispute, correct their details. The signed token is the only key and names
/// one debtor; a bad one gets a plain page and no data.
/// </summary>
public static class PaymentPage
{
    private static readonly string[] DisputeReasons = ["already_paid", "wrong_amount", "not_mine", "service_not_received", "other"];

    public static WebApplication MapDebtorPages(this WebApplication app)
    {
        var pages = app.MapGroup("/p/{token}").ExcludeFromDescription().DisableAntiforgery().RequireRateLimiting(DebtorFormLimit.Name);
        pages.MapGet("/", Show);
        pages.MapPost("/pay", Pay);
        pages.MapPost("/plan", Plan);
        pages.MapPost("/dispute", Dispute);
        pages.MapPost("/details", Details);
        var sandbox = app.MapGroup("/sandbox/checkout/{id}").ExcludeFromDescription().DisableAntiforgery();
        sandbox.MapGet("/", SandboxCheckout.Show);
        sandbox.MapPost("/pay", SandboxCheckout.Pay);
        return app;
    }

    private sealed record Debtor(string Key, DebtorView View, string CreditorName, CreditorSettings Settings, IReadOnlyList<CaseView> Cases);

    private static async Task<Debtor?> Load(string token, IGrainFactory grains, PaymentLinks links, TimeProvider time)
    {
        if (links.Verify(token, time.GetUtcNow()) is not { } key || await grains.Reference<IDebtorGrain>(key).Get() is not { } view)
        {
            return null;
        }

        var creditorId = GrainKeys.Split(key).CreditorId;
        var creditor = grains.Reference<ICreditorGrain>(creditorId);
        var cases = new List<CaseView>();
        foreach (var reference in view.OpenCases)
        {
            if (await grains.Reference<ICaseGrain>(GrainKeys.Compose(creditorId, reference)).Get() is { } c)
            {
                cases.Add(c);
            }
        }

        var (profile, settings) = await creditor.GetProfileAndSettings();
        return new Debtor(key, view, profile?.Name ?? creditorId, settings, cases);
    }

    private static string Language(HttpRequest request, Debtor? debtor) =>
        request.Query["lang"].ToString() is "en" or "fr" ? request.Query["lang"].ToString() : debtor?.View.Language ?? "fr";

    /// <summary>A forged, altered or expired link: a plain page that says so, and nothing else.</summary>
    private static IResult Invalid(string language) => Results.Content(Page(language,
            language == "en" ? "Link not valid" : "Lien non valable",
            language == "en"
                ? "<h1>This link is not valid</h1><p>It may have expired or been altered. Please use the link from your latest message, or contact the sender of the message.</p>"
                : "<h1>Ce lien n'est pas valable</h1><p>Il a peut-être expiré ou été modifié. Utilisez le lien de votre dernier message, ou contactez l'expéditeur du message.</p>"),
        "text/html; charset=utf-8", Encoding.UTF8, StatusCodes.Status404NotFound);

    public static async Task<IResult> Show(string token, HttpRequest request, IGrainFactory grains, PaymentLinks links, TimeProvider time, IOptions<AgencyInfo> agency)
    {
        var debtor = await Load(token, grains, links, time);
        var language = Language(request, debtor);
        if (debtor is null)
        {
            return Invalid(language);
        }

        string T(string fr, string en) => language == "en" ? en : fr;
        var self = $"/p/{E(token)}";
        var html = new StringBuilder();
        html.Line($"<nav class=\"lang\"><a href=\"{self}?lang={(language == "en" ? "fr" : "en")}\" lang=\"{(language == "en" ? "fr" : "en")}\">{(language == "en" ? "Français" : "English")}</a></nav>");
        html.Line($"<h1>{T("Bonjour", "Hello")} {E(debtor.View.Name)}</h1>");
        if (Notice(request.Query["done"].ToString(), T) is { } notice)
        {
            html.Line($"<p class=\"status{(notice.Error ? " error" : string.Empty)}\" role=\"status\">{E(notice.Text)}</p>");
        }

        var payable = debtor.Cases.Where(c => c.Balance > 0 && !c.Status.IsFinal()).ToList();
        html.Line($"<h2 id=\"cases\">{T("Vos factures", "Your invoices")}</h2>");
        if (debtor.Cases.Count == 0)
        {
            html.Line($"<p>{T("Vous n'avez plus rien à régler. Merci.", "You have nothing left to pay. Thank you.")}</p>");
        }

        foreach (var c in debtor.Cases)
        {
            html.Line(CaseCard(c, debtor, self, language, T));
        }

        if (payable.Count > 1)
        {
            var total = payable.Sum(c => c.Balance);
            html.Line($"<form method=\"post\" action=\"{self}/pay?lang={language}\"><input type=\"hidden\" name=\"case\" value=\"all\">" +
                $"<button type=\"submit\">{T("Tout payer par carte", "Pay everything by card")} ({Money(total, payable[0].Currency, language)})</button></form>");
        }

        html.Line(DetailsForm(debtor.View, self, language, T));
        html.Line(Legal(debtor, agency.Value, T));
        return Results.Content(Page(language, T($"Vos factures – {debtor.CreditorName}", $"Your invoices – {debtor.CreditorName}"), html.ToString()), "text/html; charset=utf-8");
    }

    private static (string Text, bool Error)? Notice(string done, Func<string, string, string> T) => done switch
    {
        "paid" => (T("Merci, votre paiement est enregistré.", "Thank you, your payment is recorded."), false),
        "cancelled" => (T("Le paiement a été annulé ; rien n'a été débité.", "The payment was cancelled; nothing was charged."), false),
        "plan" => (T("Votre échéancier est en place. Vous recevrez un rappel avant chaque échéance.", "Your payment plan is agreed. You will be reminded before each instalment."), false),
        "plan_proposed" => (T("Votre demande d'échéancier a été transmise au créancier, qui vous répondra.", "Your request for a payment plan was passed on to the creditor, who will answer you."), false),
        "dispute" => (T("Votre contestation est enregistrée : les relances sont suspendues et le créancier va l'examiner.", "Your dispute is recorded: reminders are suspended while the creditor examines it."), false),
        "details" => (T("Vos coordonnées sont mises à jour.", "Your details are updated."), false),
        "refused" => (T("Cette demande n'a pas pu être prise en compte.", "This request could not be taken into account."), true),
        "invalid" => (T("Certains champs ne sont pas valables : vérifiez-les et réessayez.", "Some fields are not valid: check them and try again."), true),
        _ => null,
    };

    private static string StatusText(CaseView c, Func<string, string, string> T) => c.Status switch
    {
        CaseStatus.Paid => T("Réglée", "Paid"),
        CaseStatus.Disputed => T("Contestée : en cours d'examen par le créancier", "Disputed: being examined by the creditor"),
        CaseStatus.PaymentPlan => T("Échéancier en cours", "Payment plan in progress"),
        CaseStatus.Closed => T("Close", "Closed"),
        _ => c.PlanProposal is not null ? T("Impayée ; demande d'échéancier transmise", "Unpaid; payment plan request sent") : T("Impayée", "Unpaid"),
    };

    private static string CaseCard(CaseView c, Debtor debtor, string self, string language, Func<string, string, string> T)
    {
        var id = "case-" + E(c.Reference);
        var html = new StringBuilder($"<article class=\"card\" aria-labelledby=\"{id}\">");
        html.Append($"<h3 id=\"{id}\">{T("Facture du", "Invoice of")} {Date(c.IssuedOn)} – {T("réf.", "ref.")} {E(c.Reference)}</h3><dl>");
        html.Append($"<dt>{T("Créancier", "Creditor")}</dt><dd>{E(debtor.CreditorName)}</dd>");
        html.Append($"<dt>{T("Montant", "Amount")}</dt><dd>{Money(c.Amount, c.Currency, language)}</dd>");
        html.Append($"<dt>{T("Déjà réglé", "Already paid")}</dt><dd>{Money(c.Paid, c.Currency, language)}</dd>");
        html.Append($"<dt>{T("Reste à payer", "Left to pay")}</dt><dd class=\"{(c.Balance == 0 ? "paid" : string.Empty)}\">{Money(c.Balance, c.Currency, language)}</dd>");
        html.Append($"<dt>{T("Échéance", "Due on")}</dt><dd>{Date(c.DueOn)}</dd>");
        html.Append($"<dt>{T("État", "Status")}</dt><dd>{StatusText(c, T)}</dd></dl>");
        if (c.Plan is { } plan)
        {
            html.Append($"<p>{T("Vos échéances :", "Your instalments:")}</p><ul>");
            foreach (var i in plan.Instalments)
            {
                html.Append($"<li>{Date(i.DueOn)} : {Money(i.Amount, c.Currency, language)}{(i.Number <= plan.Honoured ? T(" – réglée", " – paid") : string.Empty)}</li>");
            }

            html.Append("</ul>");
        }

        if (c.Balance > 0 && !c.Status.IsFinal())
        {
            html.Append($"<form method=\"post\" action=\"{self}/pay?lang={language}\"><input type=\"hidden\" name=\"case\" value=\"{E(c.Reference)}\">" +
                $"<button type=\"submit\">{T("Payer", "Pay")} {Money(c.Balance, c.Currency, language)} {T("par carte", "by card")}</button></form>");
        }

        if (c.Status is CaseStatus.Active or CaseStatus.FormalNotice or CaseStatus.OnHold && c.PlanProposal is null && c.Balance > 0)
        {
            var rules = debtor.Settings.PlanRules;
            html.Append($"<details><summary>{T("Payer en plusieurs fois", "Pay in instalments")}</summary>" +
                $"<form method=\"post\" action=\"{self}/plan?lang={language}\"><input type=\"hidden\" name=\"case\" value=\"{E(c.Reference)}\">" +
                $"<label for=\"n-{id}\">{T("Nombre de mensualités", "Number of monthly instalments")}</label><select id=\"n-{id}\" name=\"instalments\">");
            for (var n = 2; n <= Math.Max(2, rules.MaxInstalments); n++)
            {
                html.Append($"<option value=\"{n}\">{n} × {Money(Math.Floor(c.Balance / n * 100m) / 100m, c.Currency, language)}</option>");
            }

            html.Append($"</select><p>{T("Première échéance dans 7 jours, puis chaque mois.", "First instalment in 7 days, then every month.")}</p>" +
                $"<button type=\"submit\" class=\"secondary\">{T("Demander cet échéancier", "Ask for this plan")}</button></form></details>");
        }

        if (c.Status is not (CaseStatus.Disputed or CaseStatus.Paid or CaseStatus.Closed or CaseStatus.Escalated))
        {
            html.Append($"<details><summary>{T("Contester cette facture", "Dispute this invoice")}</summary>" +
                $"<form method=\"post\" action=\"{self}/dispute?lang={language}\"><input type=\"hidden\" name=\"case\" value=\"{E(c.Reference)}\">" +
                $"<label for=\"r-{id}\">{T("Motif", "Reason")}</label><select id=\"r-{id}\" name=\"reason\">");
            foreach (var reason in DisputeReasons)
            {
                html.Append($"<option value=\"{reason}\">{ReasonText(reason, T)}</option>");
            }

            html.Append($"</select><label for=\"m-{id}\">{T("Votre message (facultatif)", "Your message (optional)")}</label>" +
                $"<textarea id=\"m-{id}\" name=\"message\" maxlength=\"1000\"></textarea>" +
                $"<button type=\"submit\" class=\"secondary\">{T("Envoyer la contestation", "Send the dispute")}</button></form></details>");
        }

        return html.Append("</article>").ToString();
    }

    private static string ReasonText(string reason, Func<string, string, string> T) => reason switch
    {
        "already_paid" => T("J'ai déjà payé", "I have already paid"),
        "wrong_amount" => T("Le montant est erroné", "The amount is wrong"),
        "not_mine" => T("Cette facture ne me concerne pas", "This invoice is not mine"),
        "service_not_received" => T("Je n'ai pas reçu la prestation", "I did not receive the service"),
        _ => T("Autre motif", "Other reason"),
    };

    private static string DetailsForm(DebtorView view, string self, string language, Func<string, string, string> T)
    {
        var email = view.ContactPoints.FirstOrDefault(p => p.Channel == Channel.Email)?.Value;
        var phone = view.ContactPoints.FirstOrDefault(p => p.Channel == Channel.Sms)?.Value;
        var a = view.Address;
        return $"<section class=\"card\" aria-labelledby=\"details\"><h2 id=\"details\">{T("Vos coordonnées", "Your details")}</h2>" +
            $"<p>{T("Vous avez déménagé ou changé de numéro ? Corrigez-les ici.", "Moved or changed number? Correct them here.")}</p>" +
            $"<form method=\"post\" action=\"{self}/details?lang={language}\">" +
            $"<label for=\"email\">{T("Adresse e-mail", "E-mail address")}</label><input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"email\" value=\"{E(email)}\">" +
            $"<label for=\"phone\">{T("Téléphone mobile", "Mobile phone")}</label><input id=\"phone\" name=\"phone\" type=\"tel\" autocomplete=\"tel\" value=\"{E(phone)}\">" +
            $"<label for=\"line1\">{T("Adresse postale", "Postal address")}</label><input id=\"line1\" name=\"line1\" autocomplete=\"address-line1\" value=\"{E(a?.Line1)}\">" +
            $"<label for=\"postalCode\">{T("Code postal", "Postal code")}</label><input id=\"postalCode\" name=\"postalCode\" autocomplete=\"postal-code\" value=\"{E(a?.PostalCode)}\">" +
            $"<label for=\"city\">{T("Ville", "City")}</label><input id=\"city\" name=\"city\" autocomplete=\"address-level2\" value=\"{E(a?.City)}\">" +
            $"<button type=\"submit\" class=\"secondary\">{T("Mettre à jour", "Update")}</button></form></section>";
    }

    private static string Legal(Debtor debtor, AgencyInfo agency, Func<string, string, string> T)
    {
        var creditor = debtor.Settings.Address is { } a ? $"{debtor.CreditorName}, {a.Line1}, {a.PostalCode} {a.City}" : debtor.CreditorName;
        return $"<section class=\"legal\" aria-labelledby=\"legal\"><h2 id=\"legal\">{T("Informations légales", "Legal information")}</h2>" +
            $"<p>{E(agency.Name)}, {E(agency.Address)}, {T("exerce une activité de recouvrement amiable de créances pour le compte de", "carries out amicable debt collection on behalf of")} {E(creditor)}.</p>" +
            $"<p>{T("Les montants sont détaillés ci-dessus (principal, sommes déjà réglées). Aucun frais de recouvrement ne vous est réclamé.", "Amounts are detailed above (principal, sums already paid). No collection fee is charged to you.")}</p>" +
            $"<p>{T("Article L111-8 du code des procédures civiles d'exécution, alinéas 2 et 3 :", "French Civil Enforcement Code art. L111-8, paragraphs 2 and 3 (in French):")} <span lang=\"fr\">{E(LegalTexts.L111Paragraphs2And3)}</span></p>" +
            (agency.Contact is { Length: > 0 } contact ? $"<p>{T("Une question ?", "A question?")} {E(contact)}</p>" : string.Empty) +
            "</section>";
    }

    private static IResult Back(string token, string language, string done) => Results.Redirect($"/p/{token}?lang={language}&done={done}", permanent: false, preserveMethod: false);

    public static async Task<IResult> Pay(string token, HttpRequest request, [FromForm(Name = "case")] string? reference, IGrainFactory grains, PaymentLinks links, TimeProvider time, IPaymentProvider provider, CancellationToken cancellationToken)
    {
        var debtor = await Load(token, grains, links, time);
        var language = Language(request, debtor);
        if (debtor is null)
        {
            return Invalid(language);
        }

        var items = debtor.Cases.Where(c => c.Balance > 0 && !c.Status.IsFinal() && (reference == "all" || c.Reference == reference))
            .Select(c => new CheckoutItem(c.Reference, c.Balance)).ToList();
        if (items.Count == 0)
        {
            return Back(token, language, "refused");
        }

        var page = links.PageUrl(token);
        var url = await provider.StartCheckoutAsync(new CheckoutRequest(debtor.Key, items, "EUR",
            $"{page}?lang={language}&done=paid", $"{page}?lang={language}&done=cancelled"), cancellationToken);
        return Results.Redirect(url);
    }

    public static async Task<IResult> Plan(string token, HttpRequest request, [FromForm(Name = "case")] string? reference, [FromForm] int? instalments, IGrainFactory grains, PaymentLinks links, TimeProvider time)
    {
        var debtor = await Load(token, grains, links, time);
        var language = Language(request, debtor);
        if (debtor is null)
        {
            return Invalid(language);
        }

        if (debtor.Cases.FirstOrDefault(c => c.Reference == reference) is not { } c || instalments is not (>= 2 and <= 24))
        {
            return Back(token, language, "invalid");
        }

        var result = await grains.Reference<ICaseGrain>(GrainKeys.Compose(GrainKeys.Split(debtor.Key).CreditorId, c.Reference)).ProposePlan(instalments.Value);
        return Back(token, language, result.Outcome is CaseActionOutcome.Refused or CaseActionOutcome.NotFound ? "refused"
            : result.Case?.Status == CaseStatus.PaymentPlan ? "plan" : "plan_proposed");
    }

    public static async Task<IResult> Dispute(string token, HttpRequest request, [FromForm(Name = "case")] string? reference, [FromForm] string? reason, [FromForm] string? message, IGrainFactory grains, PaymentLinks links, TimeProvider time)
    {
        var debtor = await Load(token, grains, links, time);
        var language = Language(request, debtor);
        if (debtor is null)
        {
            return Invalid(language);
        }

        if (debtor.Cases.FirstOrDefault(c => c.Reference == reference) is not { } c || reason is null || !DisputeReasons.Contains(reason) || message?.Length > 1000)
        {
            return Back(token, language, "invalid");
        }

        var result = await grains.Reference<ICaseGrain>(GrainKeys.Compose(GrainKeys.Split(debtor.Key).CreditorId, c.Reference))
            .Dispute(reason, string.IsNullOrWhiteSpace(message) ? null : message.Trim());
        return Back(token, language, result.Outcome is CaseActionOutcome.Applied or CaseActionOutcome.AlreadyApplied ? "dispute" : "refused");
    }

    public static async Task<IResult> Details(string token, HttpRequest request, [FromForm] string? email, [FromForm] string? phone, [FromForm] string? line1,
        [FromForm] string? postalCode, [FromForm] string? city, IGrainFactory grains, PaymentLinks links, TimeProvider time)
    {
        var debtor = await Load(token, grains, links, time);
        var language = Language(request, debtor);
        if (debtor is null)
        {
            return Invalid(language);
        }

        string? newEmail = null;
        if (!string.IsNullOrWhiteSpace(email))
        {
            if (!System.Net.Mail.MailAddress.TryCreate(email.Trim(), out var parsed) || parsed.Address != email.Trim() || email.Length > 200)
            {
                return Back(token, language, "invalid");
            }

            newEmail = email.Trim();
        }

        string? newPhone = null;
        if (!string.IsNullOrWhiteSpace(phone) && (newPhone = PhoneNumberFormat.ToE164(phone)) is null)
        {
            return Back(token, language, "invalid");
        }

        PostalAddress? address = null;
        if (!string.IsNullOrWhiteSpace(line1) || !string.IsNullOrWhiteSpace(postalCode) || !string.IsNullOrWhiteSpace(city))
        {
            if (string.IsNullOrWhiteSpace(line1) || string.IsNullOrWhiteSpace(postalCode) || string.IsNullOrWhiteSpace(city) || line1.Length + city.Length > 300 || postalCode.Length > 16)
            {
                return Back(token, language, "invalid");
            }

            address = new PostalAddress(line1.Trim(), postalCode.Trim(), city.Trim(), debtor.View.Address?.Country ?? "FR");
        }

        await grains.Reference<IDebtorGrain>(debtor.Key).CorrectDetails(newEmail, newPhone, address);
        return Back(token, language, "details");
    }
}
