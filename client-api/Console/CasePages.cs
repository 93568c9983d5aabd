using System.Globalization;
using System.Text;
using Recouvrement.Calendar;
using static Recouvrement.Api.Console.ConsoleHtml;

namespace Recouvrement.Api.Console;

/// <summary>
/// <c>/console/cases</c>: the creditor's cases from the read model (filtered, a page at a time), a case's timeline from
/// its grain, and the actions an agent or an admin takes on it. Every case is looked up under the session's creditor:
/// a user never reaches another creditor's case (it is a 404, as in the API).
/// </summary>
public static class CasePages
{
    private const int PageSize = 50;

    public static void Map(RouteGroupBuilder viewer, RouteGroupBuilder agent)
    {
        viewer.MapGet("/cases", List);
        viewer.MapGet("/cases/open", Open);
        viewer.MapGet("/cases/{reference}", Show);
        agent.MapPost("/cases/{reference}/payment", RecordTransfer);
        agent.MapPost("/cases/{reference}/hold", Hold);
        agent.MapPost("/cases/{reference}/resume", Resume);
        agent.MapPost("/cases/{reference}/cancel", Cancel);
        agent.MapPost("/cases/{reference}/dispute", ResolveDispute);
        agent.MapPost("/cases/{reference}/plan", DecidePlan);
    }

    public static string StatusName(CaseStatus status, Func<string, string, string> T) => status switch
    {
        CaseStatus.Active => T("en relance", "active"),
        CaseStatus.FormalNotice => T("mise en demeure", "formal notice"),
        CaseStatus.PaymentPlan => T("échéancier", "payment plan"),
        CaseStatus.Disputed => T("contesté", "disputed"),
        CaseStatus.OnHold => T("suspendu", "on hold"),
        CaseStatus.Escalated => T("contentieux", "escalated"),
        CaseStatus.Paid => T("payé", "paid"),
        _ => T("clos", "closed"),
    };

    public static async Task<IResult> List(
        HttpContext context, ICaseSummaryReader cases, [FromKeyedServices(EngineClock.Key)] TimeProvider clock, string? status, string? debtor, string? dueFrom, string? dueTo, string? amountFrom, string? amountTo, string? after, string? afterDue)
    {
        var request = ConsoleRequest.Of(context);
        var T = request.T;
        // The API's own reading of the filters, so that a wrong one is refused here as there; an amount may have a decimal comma.
        static string? Given(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        var (checkedQuery, errors) = Api.ReadSide.CaseListApi.Query(
            Given(status), Given(debtor), Given(dueFrom), Given(dueTo), Given(amountFrom)?.Replace(',', '.'), Given(amountTo)?.Replace(',', '.'), null, PageSize, null, clock);
        var query = checkedQuery ?? new CaseQuery(Limit: PageSize);
        query = query with { After = string.IsNullOrEmpty(after) ? null : after };
        query = query with { AfterDue = query.ByDueDate && query.After is not null ? Day(afterDue) ?? DateOnly.MinValue : null };
        IReadOnlyList<CaseSummary> page = checkedQuery is null ? [] : await cases.ListAsync(request.CreditorId, query, context.RequestAborted);
        var html = new StringBuilder($"<h1>{T("Dossiers", "Cases")}</h1>");
        html.Append($"<form method=\"get\" action=\"/console/cases/open\" class=\"card filters\" role=\"search\">" +
            $"<div><label for=\"open\">{T("Référence du dossier", "Case reference")}</label><input id=\"open\" name=\"open\" required></div>" +
            $"<div><button type=\"submit\">{T("Ouvrir", "Open")}</button></div></form>");
        html.Append(Notice(errors.Count > 0 ? T("Corrigez les filtres signalés.", "Correct the filters marked.") : null, error: true));
        html.Append($"<form method=\"get\" action=\"/console/cases\" class=\"card filters\" role=\"search\">");
        html.Append(ConsoleForms.Field(request, "debtor", T("Référence du débiteur", "Debtor reference"), debtor, errors));
        html.Append($"<div><label for=\"status\">{T("Statut", "Status")}</label><select id=\"status\" name=\"status\"><option value=\"\">{T("tous", "all")}</option>");
        foreach (var s in Enum.GetValues<CaseStatus>())
        {
            html.Append($"<option value=\"{CaseStatuses.Wire(s)}\"{(query.Status == s ? " selected" : string.Empty)}>{StatusName(s, T)}</option>");
        }

        html.Append("</select></div>");
        html.Append(ConsoleForms.Field(request, "dueFrom", T("Échéance du", "Due from"), dueFrom, errors, "type=\"date\""));
        html.Append(ConsoleForms.Field(request, "dueTo", T("au", "to"), dueTo, errors, "type=\"date\""));
        html.Append(ConsoleForms.Field(request, "amountFrom", T("Montant réclamé de", "Amount claimed from"), amountFrom, errors, "inputmode=\"decimal\""));
        html.Append(ConsoleForms.Field(request, "amountTo", T("à", "to"), amountTo, errors, "inputmode=\"decimal\""));
        html.Append($"<div><button type=\"submit\">{T("Filtrer", "Filter")}</button></div></form>");
        html.Append("<div class=\"table-wrap\"><table><caption class=\"muted\">").Append(T($"{page.Count} dossier(s) sur cette page", $"{page.Count} case(s) on this page")).Append("</caption>");
        html.Append($"<thead><tr><th scope=\"col\">{T("Dossier", "Case")}</th><th scope=\"col\">{T("Débiteur", "Debtor")}</th><th scope=\"col\">{T("Statut", "Status")}</th>" +
            $"<th scope=\"col\">{T("Étape", "Stage")}</th><th scope=\"col\">{T("Échéance", "Due")}</th><th scope=\"col\" class=\"num\">{T("Montant", "Amount")}</th><th scope=\"col\" class=\"num\">{T("Reste dû", "Balance")}</th></tr></thead><tbody>");
        foreach (var c in page)
        {
            html.Append($"<tr><td><a href=\"/console/cases/{Uri.EscapeDataString(c.Reference)}\">{E(c.Reference)}</a></td><td>{E(c.DebtorReference)}</td>" +
                $"<td>{StatusName(c.Status, T)}</td><td>{c.Stage}</td><td>{Date(c.DueOn)}</td><td class=\"num\">{Money(c.Amount, request.Language, c.Currency)}</td>" +
                $"<td class=\"num\">{Money(c.Balance, request.Language, c.Currency)}</td></tr>");
        }

        html.Append("</tbody></table></div>");
        if (page.Count == PageSize)
        {
            var next = QueryString.Create(new Dictionary<string, string?>
            {
                ["status"] = status, ["debtor"] = query.Debtor, ["dueFrom"] = dueFrom, ["dueTo"] = dueTo, ["amountFrom"] = amountFrom, ["amountTo"] = amountTo, ["after"] = page[^1].Reference, ["afterDue"] = query.ByDueDate ? page[^1].DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
            }.Where(p => !string.IsNullOrEmpty(p.Value)));
            html.Append($"<p><a class=\"button secondary\" href=\"/console/cases{next}\">{T("Page suivante", "Next page")}</a></p>");
        }

        return Html(Page(request, T("Dossiers", "Cases"), "cases", html.ToString()));
    }

    private static DateOnly? Day(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

    private static ICaseGrain Grain(ConsoleRequest request, string reference) =>
        request.Http.RequestServices.GetRequiredService<IGrainFactory>().GetGrain<ICaseGrain>(GrainKeys.Compose(request.CreditorId, reference));

    /// <summary>The search by reference: straight to the case's page.</summary>
    public static IResult Open(string? open) =>
        Results.Redirect(string.IsNullOrWhiteSpace(open) ? "/console/cases" : $"/console/cases/{Uri.EscapeDataString(open.Trim())}");

    public static async Task<IResult> Show(HttpContext context, string reference, string? done, string? error)
    {
        var request = ConsoleRequest.Of(context);
        var T = request.T;
        if (reference.Length > 64 || await Grain(request, reference).Get() is not { } view)
        {
            return Html(Page(request, T("Dossier introuvable", "Case not found"), "cases",
                $"<h1>{T("Dossier introuvable", "Case not found")}</h1><p><a href=\"/console/cases\">{T("Retour aux dossiers", "Back to the cases")}</a></p>"), StatusCodes.Status404NotFound);
        }

        var lang = request.Language;
        var html = new StringBuilder($"<h1>{T("Dossier", "Case")} {E(view.Reference)}</h1>");
        html.Append(Notice(done is null ? null : T("C'est fait.", "Done.")));
        html.Append(Notice(error, error: true));
        html.Append("<div class=\"card\"><dl>");
        html.Append($"<dt>{T("Statut", "Status")}</dt><dd>{StatusName(view.Status, T)}{(view.ClosedReason is { } why ? $" ({E(why)})" : string.Empty)}</dd>");
        html.Append($"<dt>{T("Débiteur", "Debtor")}</dt><dd>{E(view.DebtorReference)}</dd>");
        html.Append($"<dt>{T("Libellé", "Label")}</dt><dd>{E(view.Label)}</dd>");
        html.Append($"<dt>{T("Montant", "Amount")}</dt><dd>{Money(view.Amount, lang, view.Currency)}</dd>");
        html.Append($"<dt>{T("Payé", "Paid")}</dt><dd>{Money(view.Paid, lang, view.Currency)}</dd>");
        html.Append($"<dt>{T("Reste dû", "Balance")}</dt><dd>{Money(view.Balance, lang, view.Currency)}</dd>");
        html.Append($"<dt>{T("Échéance", "Due")}</dt><dd>{Date(view.DueOn)}</dd>");
        if (view.NextStep is { } next)
        {
            html.Append($"<dt>{T("Prochaine étape", "Next step")}</dt><dd>{E(next.Action)} – {Time(next.At)}</dd>");
        }

        html.Append("</dl></div>");
        if (request.CanAct)
        {
            html.Append(Actions(request, view));
        }

        html.Append($"<h2>{T("Historique", "Timeline")}</h2><ol class=\"card\">");
        foreach (var e in view.History.Reverse())
        {
            html.Append($"<li><time datetime=\"{e.At.UtcDateTime:O}\">{Time(e.At)}</time> – <strong>{E(e.Kind)}</strong>{(e.Detail is { } d ? " : " + E(d) : string.Empty)}</li>");
        }

        html.Append("</ol>");
        return Html(Page(request, T("Dossier", "Case") + " " + view.Reference, "cases", html.ToString()));
    }

    private static string Actions(ConsoleRequest request, CaseView view)
    {
        var T = request.T;
        var action = $"/console/cases/{Uri.EscapeDataString(view.Reference)}";
        var html = new StringBuilder();
        if (!view.Status.IsFinal())
        {
            html.Append($"<form method=\"post\" action=\"{action}/payment\" class=\"card\">{request.Antiforgery}<h3>{T("Enregistrer un virement", "Record a transfer")}</h3>" +
                $"<label for=\"amount\">{T("Montant", "Amount")} ({E(view.Currency)})</label><input id=\"amount\" name=\"amount\" inputmode=\"decimal\" required value=\"{view.Balance.ToString("0.00", CultureInfo.InvariantCulture)}\">" +
                $"<label for=\"paymentReference\">{T("Référence du virement", "Transfer reference")}</label><input id=\"paymentReference\" name=\"paymentReference\" required maxlength=\"100\">" +
                $"<label for=\"receivedOn\">{T("Reçu le", "Received on")}</label><input id=\"receivedOn\" name=\"receivedOn\" type=\"date\">" +
                $"<button type=\"submit\">{T("Enregistrer", "Record")}</button></form>");
            html.Append($"<div class=\"card\">");
            if (view.Status == CaseStatus.OnHold)
            {
                html.Append($"<form method=\"post\" action=\"{action}/resume\">{request.Antiforgery}<button type=\"submit\">{T("Reprendre les relances", "Resume")}</button></form>");
            }
            else
            {
                html.Append($"<form method=\"post\" action=\"{action}/hold\">{request.Antiforgery}<button type=\"submit\" class=\"secondary\">{T("Suspendre", "Hold")}</button></form>");
            }

            html.Append($"<form method=\"post\" action=\"{action}/cancel\">{request.Antiforgery}<label for=\"reason\">{T("Motif d'annulation", "Reason to cancel")}</label>" +
                $"<input id=\"reason\" name=\"reason\" maxlength=\"200\"><button type=\"submit\" class=\"danger\">{T("Annuler le dossier", "Cancel the case")}</button></form></div>");
        }

        if (view.Status == CaseStatus.Disputed)
        {
            html.Append($"<form method=\"post\" action=\"{action}/dispute\" class=\"card\">{request.Antiforgery}<h3>{T("Contestation", "Dispute")}</h3>" +
                $"<fieldset><legend>{T("Décision", "Decision")}</legend><label><input type=\"radio\" name=\"decision\" value=\"uphold\" required> {T("Fondée : clore le dossier", "Upheld: close the case")}</label>" +
                $"<label><input type=\"radio\" name=\"decision\" value=\"reject\"> {T("Rejetée : reprendre les relances", "Rejected: resume")}</label></fieldset>" +
                $"<label for=\"note\">{T("Message au débiteur (requis si rejetée)", "Note to the debtor (required when rejected)")}</label><textarea id=\"note\" name=\"note\" maxlength=\"1000\"></textarea>" +
                $"<button type=\"submit\">{T("Décider", "Decide")}</button></form>");
        }

        if (view.PlanProposal is not null)
        {
            html.Append($"<form method=\"post\" action=\"{action}/plan\" class=\"card\">{request.Antiforgery}<h3>{T("Demande d'échéancier", "Plan proposal")}</h3>" +
                $"<fieldset><legend>{T("Réponse", "Answer")}</legend><label><input type=\"radio\" name=\"decision\" value=\"accept\" required> {T("Accepter", "Accept")}</label>" +
                $"<label><input type=\"radio\" name=\"decision\" value=\"refuse\"> {T("Refuser", "Refuse")}</label></fieldset>" +
                $"<label for=\"plan-note\">{T("Message au débiteur", "Note to the debtor")}</label><textarea id=\"plan-note\" name=\"note\" maxlength=\"1000\"></textarea>" +
                $"<button type=\"submit\">{T("Répondre", "Answer")}</button></form>");
        }

        return html.Length == 0 ? string.Empty : $"<h2>{T("Actions", "Actions")}</h2><div class=\"grid\">{html}</div>";
    }

    public static async Task<IResult> RecordTransfer(HttpContext context, string reference, [FromKeyedServices(EngineClock.Key)] TimeProvider clock)
    {
        var request = ConsoleRequest.Of(context);
        var T = request.T;
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var text = form["amount"].ToString().Trim().Replace(',', '.');
        var paymentReference = form["paymentReference"].ToString().Trim();
        var today = ParisTime.DateOf(clock.GetUtcNow());
        var receivedOn = Day(form["receivedOn"].ToString()) ?? today;
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) || amount <= 0 || decimal.Round(amount, 2) != amount
            || amount > 999_999_999m)
        {
            return Back(reference, error: T("Montant : un nombre positif, au plus 2 décimales.", "Amount: a positive number, at most 2 decimals."));
        }

        if (paymentReference.Length is 0 or > 100 || receivedOn > today)
        {
            return Back(reference, error: T("Référence requise (100 caractères au plus) ; date pas dans le futur.", "A reference is required (at most 100 characters); no date in the future."));
        }

        var grain = Grain(request, reference);
        if (await grain.Get() is not { } view)
        {
            return Results.NotFound();
        }

        return Answer(reference, await grain.RecordPayment(new PaymentReceipt(paymentReference, amount, view.Currency, receivedOn < view.IssuedOn ? view.IssuedOn : receivedOn, "bank_transfer")), T);
    }

    public static async Task<IResult> Hold(HttpContext context, string reference)
    {
        var request = ConsoleRequest.Of(context);
        return Answer(reference, await Grain(request, reference).Hold(), request.T);
    }

    public static async Task<IResult> Resume(HttpContext context, string reference)
    {
        var request = ConsoleRequest.Of(context);
        return Answer(reference, await Grain(request, reference).Resume(), request.T);
    }

    public static async Task<IResult> Cancel(HttpContext context, string reference)
    {
        var request = ConsoleRequest.Of(context);
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var reason = form["reason"].ToString().Trim();
        return Answer(reference, await Grain(request, reference).Cancel(reason.Length > 0 ? reason[..Math.Min(reason.Length, 200)] : "cancelled by the creditor"), request.T);
    }

    public static async Task<IResult> ResolveDispute(HttpContext context, string reference)
    {
        var request = ConsoleRequest.Of(context);
        var T = request.T;
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var decision = form["decision"].ToString();
        var note = form["note"].ToString().Trim();
        if (decision is not ("uphold" or "reject") || decision == "reject" && note.Length == 0 || note.Length > 1000)
        {
            return Back(reference, error: T("Choisissez une décision ; un rejet demande un message au débiteur.", "Choose a decision; a rejection needs a note to the debtor."));
        }

        return Answer(reference, await Grain(request, reference).ResolveDispute(decision == "uphold", note.Length > 0 ? note : null), T);
    }

    public static async Task<IResult> DecidePlan(HttpContext context, string reference)
    {
        var request = ConsoleRequest.Of(context);
        var T = request.T;
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var decision = form["decision"].ToString();
        var note = form["note"].ToString().Trim();
        if (decision is not ("accept" or "refuse") || note.Length > 1000)
        {
            return Back(reference, error: T("Choisissez une réponse.", "Choose an answer."));
        }

        return Answer(reference, await Grain(request, reference).DecidePlan(decision == "accept", note.Length > 0 ? note : null), T);
    }

    private static IResult Answer(string reference, CaseActionResult result, Func<string, string, string> T) => result.Outcome switch
    {
        CaseActionOutcome.Applied or CaseActionOutcome.AlreadyApplied => Back(reference, done: true),
        CaseActionOutcome.NotFound => Results.NotFound(),
        _ => Back(reference, error: T("Refusé : ", "Refused: ") + (result.Reason ?? string.Empty)),
    };

    /// <summary>After a form: back to the case's page (post, redirect, get), with what happened.</summary>
    private static IResult Back(string reference, bool done = false, string? error = null) =>
        Results.Redirect($"/console/cases/{Uri.EscapeDataString(reference)}" + (done ? "?done=1" : error is null ? string.Empty : "?error=" + Uri.EscapeDataString(error)));
}
