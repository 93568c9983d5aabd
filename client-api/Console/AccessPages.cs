using System.Text;
using Microsoft.Extensions.Options;
using Recouvrement.Api.Access;
using Recouvrement.Api.Admin;
using Recouvrement.Api.Cases;
using Recouvrement.Payments;
using Recouvrement.Users;
using static Recouvrement.Api.Console.ConsoleHtml;

namespace Recouvrement.Api.Console;

/// <summary>
/// <c>/console/users</c> and <c>/console/keys</c>: who uses the creditor's console, and the keys of its software. Every
/// user sees the lists; an admin invites a user with a role (the one-time link shown once, checked as the operator's
/// <c>POST /api/v1/admin/creditors/{id}/users</c> checks it), removes one, makes an API key (shown once) and revokes one.
/// </summary>
public static class AccessPages
{
    public static void Map(RouteGroupBuilder viewer, RouteGroupBuilder admin)
    {
        viewer.MapGet("/users", Users);
        admin.MapPost("/users", Invite);
        admin.MapPost("/users/{id}/remove", Remove);
        viewer.MapGet("/keys", Keys);
        admin.MapPost("/keys", CreateKey);
        admin.MapPost("/keys/{id}/revoke", Revoke);
    }

    public static async Task<IResult> Users(HttpContext context, IGrainFactory grains, string? done, string? error)
    {
        var request = ConsoleRequest.Of(context);
        var notice = done is null ? null : request.T("Utilisateur retiré.", "User removed.");
        return Html(Page(request, request.T("Utilisateurs", "Users"), "users", await UsersBody(request, grains, notice, error, null, null, [])));
    }

    public static async Task<IResult> Invite(
        HttpContext context, IGrainFactory grains, TimeProvider time, IOptions<ConsoleOptions> options, IOptions<PaymentLinkOptions> links)
    {
        var request = ConsoleRequest.Of(context);
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var email = form["email"].ToString();
        var roleText = form["role"].ToString();
        UserRole? role = Enum.TryParse<UserRole>(roleText, ignoreCase: true, out var parsed) && roleText.All(char.IsLetter) ? parsed : null;
        var (invited, problem) = await AdminApi.InviteAsync(grains, request.CreditorId, email, role, time.GetUtcNow(), options.Value, links.Value.BaseUrl);
        var errors = problem is null ? [] : ConsoleForms.ErrorsOf(problem, "email");
        var body = await UsersBody(request, grains, null, null, invited, invited is null ? email : null, errors);
        return Html(Page(request, request.T("Utilisateurs", "Users"), "users", body), invited is null ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
    }

    public static async Task<IResult> Remove(HttpContext context, IGrainFactory grains, string id)
    {
        var request = ConsoleRequest.Of(context);
        if (id == request.Principal.UserId)
        {
            return Results.Redirect("/console/users?error=" + Uri.EscapeDataString(request.T("Vous ne pouvez pas vous retirer vous-même.", "You cannot remove yourself.")));
        }

        return await grains.Reference<ICreditorUsersGrain>(request.CreditorId).Remove(id) ? Results.Redirect("/console/users?done=1") : Results.NotFound();
    }

    private static async Task<string> UsersBody(
        ConsoleRequest request, IGrainFactory grains, string? done, string? error, AdminApi.UserInvited? invited, string? email, List<FieldError> errors)
    {
        var T = request.T;
        var html = new StringBuilder($"<h1>{T("Utilisateurs", "Users")}</h1>");
        html.Append(Notice(done));
        html.Append(Notice(error, error: true));
        html.Append(ConsoleForms.Summary(request, errors));
        if (invited is not null)
        {
            html.Append($"<div class=\"card\" role=\"status\"><p>{T($"Invitation prête pour {invited.Email}. Envoyez-lui ce lien, affiché cette seule fois (valable jusqu'au {Time(invited.ExpiresAt)}) :", $"Invitation ready for {invited.Email}. Send them this link, shown this once (valid until {Time(invited.ExpiresAt)}):")}</p>" +
                $"<p class=\"secret\" id=\"invitation-link\">{E(invited.InvitationUrl)}</p></div>");
        }

        var users = await grains.Reference<ICreditorUsersGrain>(request.CreditorId).List();
        html.Append($"<div class=\"table-wrap\"><table id=\"users\"><thead><tr><th scope=\"col\">{T("Adresse", "Address")}</th><th scope=\"col\">{T("Rôle", "Role")}</th>" +
            $"<th scope=\"col\">{T("État", "Status")}</th><th scope=\"col\">{T("Dernière connexion", "Last sign-in")}</th>{(request.IsAdmin ? $"<th scope=\"col\">{T("Action", "Action")}</th>" : string.Empty)}</tr></thead><tbody>");
        foreach (var u in users)
        {
            html.Append($"<tr><td>{E(u.Email)}</td><td>{RoleName(u.Role, T)}</td><td>{(u.Status == UserStatus.Active ? T("actif", "active") : T("invité", "invited"))}</td>" +
                $"<td>{(u.LastSignInAt is { } at ? Time(at) : "–")}</td>");
            if (request.IsAdmin)
            {
                html.Append(u.Id == request.Principal.UserId ? $"<td class=\"muted\">{T("vous", "you")}</td>"
                    : $"<td><form method=\"post\" action=\"/console/users/{Uri.EscapeDataString(u.Id)}/remove\" class=\"inline\">{request.Antiforgery}" +
                      $"<button type=\"submit\" class=\"danger\" aria-label=\"{E(T("Retirer ", "Remove ") + u.Email)}\">{T("Retirer", "Remove")}</button></form></td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table></div>");
        if (request.IsAdmin)
        {
            html.Append($"<form method=\"post\" action=\"/console/users\" class=\"card\">{request.Antiforgery}<h2>{T("Inviter un utilisateur", "Invite a user")}</h2>");
            html.Append(ConsoleForms.Field(request, "email", T("Adresse e-mail", "E-mail address"), email, errors, "type=\"email\" maxlength=\"254\" required autocomplete=\"off\""));
            var roleError = ConsoleForms.ErrorFor(request, "role", errors);
            html.Append($"<label for=\"role\">{T("Rôle", "Role")}</label><select id=\"role\" name=\"role\"{(roleError.Length > 0 ? " aria-invalid=\"true\" aria-describedby=\"role-error\"" : string.Empty)}>");
            foreach (var role in new[] { UserRole.Viewer, UserRole.Agent, UserRole.Admin })
            {
                html.Append($"<option value=\"{role.ToString().ToLowerInvariant()}\">{RoleName(role, T)}</option>");
            }

            html.Append($"</select>{roleError}");
            html.Append($"<p class=\"muted\">{T("Lecteur : consulte. Agent : traite les dossiers et importe. Administrateur : gère aussi les utilisateurs, les clés, la politique, les paramètres et les webhooks.", "Viewer: reads. Agent: works cases and imports. Admin: also manages users, keys, policy, settings and webhooks.")}</p>");
            html.Append(ConsoleForms.OtherErrors(request, errors, "email", "role"));
            html.Append($"<button type=\"submit\">{T("Inviter", "Invite")}</button></form>");
        }

        return html.ToString();
    }

    public static async Task<IResult> Keys(HttpContext context, IGrainFactory grains, string? done)
    {
        var request = ConsoleRequest.Of(context);
        return Html(Page(request, request.T("Clés d'API", "API keys"), "keys",
            await KeysBody(request, grains, done is null ? null : request.T("Clé révoquée.", "Key revoked."), null)));
    }

    public static async Task<IResult> CreateKey(HttpContext context, IGrainFactory grains, ApiKeyDirectory directory)
    {
        var request = ConsoleRequest.Of(context);
        var created = await AdminApi.IssueKeyAsync(grains, directory, request.CreditorId);
        return Html(Page(request, request.T("Clés d'API", "API keys"), "keys", await KeysBody(request, grains, null, created)));
    }

    public static async Task<IResult> Revoke(HttpContext context, IGrainFactory grains, ApiKeyDirectory directory, string id) =>
        await AdminApi.RevokeKeyAsync(grains, directory, ConsoleRequest.Of(context).CreditorId, id) ? Results.Redirect("/console/keys?done=1") : Results.NotFound();

    private static async Task<string> KeysBody(ConsoleRequest request, IGrainFactory grains, string? done, AdminApi.KeyCreated? created)
    {
        var T = request.T;
        var html = new StringBuilder($"<h1>{T("Clés d'API", "API keys")}</h1>");
        html.Append(Notice(done));
        if (created is not null)
        {
            html.Append($"<div class=\"card\" role=\"status\"><p>{T($"Clé {created.Id} créée. La voici, affichée cette seule fois : gardez-la en lieu sûr.", $"Key {created.Id} made. Here it is, shown this once: keep it safe.")}</p>" +
                $"<p class=\"secret\" id=\"api-key\">{E(created.Key)}</p></div>");
        }

        var keys = await grains.Reference<Recouvrement.Access.ICreditorKeysGrain>(request.CreditorId).List();
        html.Append($"<div class=\"table-wrap\"><table id=\"keys\"><thead><tr><th scope=\"col\">{T("Clé", "Key")}</th><th scope=\"col\">{T("Créée le", "Created")}</th>" +
            $"<th scope=\"col\">{T("Dernier usage", "Last used")}</th><th scope=\"col\">{T("État", "Status")}</th>{(request.IsAdmin ? $"<th scope=\"col\">{T("Action", "Action")}</th>" : string.Empty)}</tr></thead><tbody>");
        foreach (var k in keys)
        {
            html.Append($"<tr><td><code>{E(k.Id)}</code></td><td>{Time(k.CreatedAt)}</td><td>{(k.LastUsedAt is { } used ? Time(used) : "–")}</td>" +
                $"<td>{(k.RevokedAt is { } revoked ? T("révoquée le ", "revoked on ") + Time(revoked) : T("active", "live"))}</td>");
            if (request.IsAdmin)
            {
                html.Append(k.RevokedAt is not null ? "<td></td>"
                    : $"<td><form method=\"post\" action=\"/console/keys/{Uri.EscapeDataString(k.Id)}/revoke\" class=\"inline\">{request.Antiforgery}" +
                      $"<button type=\"submit\" class=\"danger\" aria-label=\"{E(T("Révoquer la clé ", "Revoke key ") + k.Id)}\">{T("Révoquer", "Revoke")}</button></form></td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table></div>");
        if (request.IsAdmin)
        {
            html.Append($"<form method=\"post\" action=\"/console/keys\" class=\"card\">{request.Antiforgery}<h2>{T("Nouvelle clé", "New key")}</h2>" +
                $"<p class=\"muted\">{T("Plusieurs clés vivent ensemble le temps d'une rotation : créez la nouvelle, changez-la dans votre logiciel, puis révoquez l'ancienne.", "Several keys live together while you rotate them: make the new one, change it in your software, then revoke the old one.")}</p>" +
                $"<button type=\"submit\">{T("Créer une clé", "Make a key")}</button></form>");
        }

        return html.ToString();
    }
}
