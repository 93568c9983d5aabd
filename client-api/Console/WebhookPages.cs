using System.Text;
using Microsoft.Extensions.Options;
using Recouvrement.Api.Cases;
using Recouvrement.Api.Webhooks;
using Recouvrement.Webhooks;
using static Recouvrement.Api.Console.ConsoleHtml;

namespace Recouvrement.Api.Console;

/// <summary>
/// <c>/console/webhooks</c>: the creditor's webhook subscriptions and each one's last delivery attempts (every user);
/// an admin subscribes a URL (checked as <c>POST /api/v1/webhooks</c> checks it; the signing secret shown once) and
/// deletes a subscription.
/// </summary>
public static class WebhookPages
{
    public static void Map(RouteGroupBuilder viewer, RouteGroupBuilder admin)
    {
        viewer.MapGet("/webhooks", List);
        viewer.MapGet("/webhooks/{id}", Deliveries);
        admin.MapPost("/webhooks", Create);
        admin.MapPost("/webhooks/{id}/delete", Delete);
    }

    private static ICreditorWebhooksGrain Grain(IGrainFactory grains, ConsoleRequest request) => grains.Reference<ICreditorWebhooksGrain>(request.CreditorId);

    public static async Task<IResult> List(HttpContext context, IGrainFactory grains, string? done)
    {
        var request = ConsoleRequest.Of(context);
        return Html(Page(request, request.T("Webhooks", "Webhooks"), "webhooks",
            await Body(request, grains, done is null ? null : request.T("Abonnement supprimé.", "Subscription deleted."), null, null, [])));
    }

    public static async Task<IResult> Create(HttpContext context, IGrainFactory grains, IOptions<CreditorWebhookOptions> options)
    {
        var request = ConsoleRequest.Of(context);
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var url = form["url"].ToString().Trim();
        var events = form["events"].Select(e => (string?)e).ToList();
        var (created, errors) = await CreditorWebhooksApi.CreateAsync(grains, request.CreditorId,
            options.Value, new CreditorWebhooksApi.WebhookInput(url, events), context.RequestAborted);
        var body = await Body(request, grains, null, created, created is null ? url : null, errors);
        return Html(Page(request, request.T("Webhooks", "Webhooks"), "webhooks", body), created is null ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
    }

    public static async Task<IResult> Delete(HttpContext context, IGrainFactory grains, string id) =>
        await Grain(grains, ConsoleRequest.Of(context)).Delete(id) ? Results.Redirect("/console/webhooks?done=1") : Results.NotFound();

    private static async Task<string> Body(
        ConsoleRequest request, IGrainFactory grains, string? done, CreditorWebhooksApi.CreatedWebhook? created, string? url, List<FieldError> errors)
    {
        var T = request.T;
        var html = new StringBuilder($"<h1>{T("Webhooks", "Webhooks")}</h1>");
        html.Append(Notice(done));
        html.Append(ConsoleForms.Summary(request, errors));
        if (created is not null)
        {
            html.Append($"<div class=\"card\" role=\"status\"><p>{T("Abonnement créé. Son secret de signature, affiché cette seule fois :", "Subscription made. Its signing secret, shown this once:")}</p>" +
                $"<p class=\"secret\" id=\"webhook-secret\">{E(created.Secret)}</p></div>");
        }

        var hooks = await Grain(grains, request).List();
        if (hooks.Count == 0)
        {
            html.Append($"<p class=\"muted\">{T("Aucun abonnement.", "No subscription.")}</p>");
        }
        else
        {
            html.Append($"<div class=\"table-wrap\"><table id=\"webhooks\"><thead><tr><th scope=\"col\">URL</th><th scope=\"col\">{T("Événements", "Events")}</th>" +
                $"<th scope=\"col\">{T("État", "Status")}</th><th scope=\"col\">{T("Créé le", "Created")}</th>{(request.IsAdmin ? $"<th scope=\"col\">{T("Action", "Action")}</th>" : string.Empty)}</tr></thead><tbody>");
            foreach (var h in hooks)
            {
                var status = h.Status == WebhookStatus.Active
                    ? h.FailingSince is { } since ? T("actif, en échec depuis ", "active, failing since ") + Time(since) : T("actif", "active")
                    : T("désactivé", "disabled") + (h.DisabledReason is { } why ? " : " + why : string.Empty);
                html.Append($"<tr><td><a href=\"/console/webhooks/{Uri.EscapeDataString(h.Id)}\">{E(h.Url)}</a></td><td>{E(string.Join(", ", h.Events))}</td><td>{E(status)}</td><td>{Time(h.CreatedAt)}</td>");
                if (request.IsAdmin)
                {
                    html.Append($"<td><form method=\"post\" action=\"/console/webhooks/{Uri.EscapeDataString(h.Id)}/delete\" class=\"inline\">{request.Antiforgery}" +
                        $"<button type=\"submit\" class=\"danger\" aria-label=\"{E(T("Supprimer ", "Delete ") + h.Url)}\">{T("Supprimer", "Delete")}</button></form></td>");
                }

                html.Append("</tr>");
            }

            html.Append("</tbody></table></div>");
        }

        if (request.IsAdmin)
        {
            html.Append($"<form method=\"post\" action=\"/console/webhooks\" class=\"card\">{request.Antiforgery}<h2>{T("S'abonner", "Subscribe")}</h2>");
            html.Append(ConsoleForms.Field(request, "url", T("URL (https)", "URL (https)"), url, errors, "type=\"url\" maxlength=\"2000\" required"));
            var eventsError = ConsoleForms.ErrorFor(request, "events", errors);
            html.Append($"<fieldset{(eventsError.Length > 0 ? " aria-describedby=\"events-error\"" : string.Empty)}><legend>{T("Événements", "Events")}</legend>");
            html.Append($"<label><input type=\"checkbox\" name=\"events\" value=\"{WebhookSubscription.AllEvents}\"> {T("tous", "all")}</label>");
            foreach (var type in EventTypes.All)
            {
                html.Append($"<label><input type=\"checkbox\" name=\"events\" value=\"{E(type)}\"> <code>{E(type)}</code></label>");
            }

            html.Append($"</fieldset>{eventsError}");
            html.Append(ConsoleForms.OtherErrors(request, errors, "url", "events"));
            html.Append($"<button type=\"submit\">{T("Créer l'abonnement", "Subscribe")}</button></form>");
        }

        return html.ToString();
    }

    public static async Task<IResult> Deliveries(HttpContext context, IGrainFactory grains, string id)
    {
        var request = ConsoleRequest.Of(context);
        var T = request.T;
        var grain = Grain(grains, request);
        if (id.Length > 64 || await grain.Get(id) is not { } hook || await grain.Deliveries(id) is not { } attempts)
        {
            return Html(Page(request, T("Abonnement introuvable", "Subscription not found"), "webhooks",
                $"<h1>{T("Abonnement introuvable", "Subscription not found")}</h1><p><a href=\"/console/webhooks\">{T("Retour aux webhooks", "Back to the webhooks")}</a></p>"), StatusCodes.Status404NotFound);
        }

        var html = new StringBuilder($"<h1>{T("Livraisons", "Deliveries")} – {E(hook.Url)}</h1>");
        html.Append($"<p><a href=\"/console/webhooks\">{T("Retour aux webhooks", "Back to the webhooks")}</a></p>");
        if (attempts.Count == 0)
        {
            html.Append($"<p class=\"muted\">{T("Aucune livraison pour l'instant.", "No delivery yet.")}</p>");
        }
        else
        {
            html.Append($"<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">{T("Date", "Date")}</th><th scope=\"col\">{T("Événement", "Event")}</th>" +
                $"<th scope=\"col\" class=\"num\">{T("Tentative", "Attempt")}</th><th scope=\"col\" class=\"num\">HTTP</th><th scope=\"col\">{T("Erreur", "Error")}</th><th scope=\"col\" class=\"num\">ms</th></tr></thead><tbody>");
            foreach (var a in attempts)
            {
                html.Append($"<tr><td>{Time(a.At)}</td><td><code>{E(a.Type)}</code> {E(a.EventId)}</td><td class=\"num\">{a.Attempt}</td><td class=\"num\">{a.HttpStatus?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "–"}</td>" +
                    $"<td>{E(a.Error ?? T("livré", "delivered"))}</td><td class=\"num\">{Math.Round(a.Duration.TotalMilliseconds)}</td></tr>");
            }

            html.Append("</tbody></table></div>");
        }

        return Html(Page(request, T("Livraisons", "Deliveries"), "webhooks", html.ToString()));
    }
}
