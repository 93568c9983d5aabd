using System.Text;
using Recouvrement.Api.Cases;
using Recouvrement.Api.Imports;
using Recouvrement.Imports;
using static Recouvrement.Api.Console.ConsoleHtml;

namespace Recouvrement.Api.Console;

/// <summary>
/// <c>/console/imports</c>: the creditor's import history (every user), and for agents and admins the upload of a CSV
/// file of cases, read and submitted as <c>POST /api/v1/imports</c> does (<see cref="ImportsApi.RunAsync"/>), each
/// line's result shown: accepted, already received, or refused with its line and reasons.
/// </summary>
public static class ImportPages
{
    public static void Map(RouteGroupBuilder viewer, RouteGroupBuilder agent)
    {
        viewer.MapGet("/imports", Show);
        agent.MapPost("/imports", Upload);
    }

    public static async Task<IResult> Show(HttpContext context, IGrainFactory grains)
    {
        var request = ConsoleRequest.Of(context);
        return Html(Page(request, request.T("Imports", "Imports"), "imports", await Body(request, grains, null, null)));
    }

    public static async Task<IResult> Upload(HttpContext context, IGrainFactory grains, CaseIntake intake, TimeProvider time)
    {
        var request = ConsoleRequest.Of(context);
        var T = request.T;
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (form.Files.GetFile("file") is not { Length: > 0 } file)
        {
            return Html(Page(request, T("Imports", "Imports"), "imports",
                await Body(request, grains, [new("file", T("choisissez un fichier CSV non vide", "choose a CSV file that is not empty"))], null)), StatusCodes.Status400BadRequest);
        }

        if (file.Length > ImportsApi.BodyLimit)
        {
            return Html(Page(request, T("Imports", "Imports"), "imports",
                await Body(request, grains, [new("file", $"at most {ImportsApi.BodyLimit / (1024 * 1024)} MB: split the file")], null)), StatusCodes.Status400BadRequest);
        }

        byte[] body;
        await using (var stream = file.OpenReadStream())
        {
            using var copy = new MemoryStream((int)file.Length);
            await stream.CopyToAsync(copy, context.RequestAborted);
            body = copy.ToArray();
        }

        var (result, problem) = await ImportsApi.RunAsync(context.RequestServices, intake, request.CreditorId, body, context.RequestAborted);
        if (result is null)
        {
            var errors = ConsoleForms.ErrorsOf(problem!, "file");
            if (errors.All(e => e.Field != "file"))
            {
                // The header's errors name columns: the file field says what happened, the list below names them.
                errors.Insert(0, new("file", problem!.ProblemDetails.Detail ?? "refused"));
            }

            return Html(Page(request, T("Imports", "Imports"), "imports", await Body(request, grains, errors, null)), StatusCodes.Status400BadRequest);
        }

        await ImportsApi.RecordAsync(grains, request.CreditorId, result, ImportRecord.Console, request.Principal.UserId, Path.GetFileName(file.FileName), time);
        return Html(Page(request, T("Imports", "Imports"), "imports", await Body(request, grains, [], result)));
    }

    private static async Task<string> Body(ConsoleRequest request, IGrainFactory grains, List<FieldError>? errors, ImportsApi.ImportResult? result)
    {
        var T = request.T;
        errors ??= [];
        var html = new StringBuilder($"<h1>{T("Imports", "Imports")}</h1>");
        if (result is not null)
        {
            html.Append(LineResults(request, result));
        }

        if (request.CanAct)
        {
            var error = ConsoleForms.ErrorFor(request, "file", errors);
            html.Append($"<form method=\"post\" action=\"/console/imports\" enctype=\"multipart/form-data\" class=\"card\">{request.Antiforgery}");
            html.Append($"<h2>{T("Importer un fichier CSV", "Import a CSV file")}</h2>");
            html.Append($"<p class=\"muted\">{T("Séparateur , ou ; ; UTF-8 ; virgule décimale acceptée ; dates AAAA-MM-JJ ou JJ/MM/AAAA. Colonnes requises : ", "Separator , or ;; UTF-8; decimal comma accepted; dates YYYY-MM-DD or DD/MM/YYYY. Required columns: ")}" +
                "<code>reference, amount, issued_on, due_on, debtor_reference, debtor_name</code>.</p>");
            html.Append($"<label for=\"file\">{T("Fichier", "File")}</label><input id=\"file\" name=\"file\" type=\"file\" accept=\".csv,text/csv\" required" +
                $"{(error.Length > 0 ? " aria-invalid=\"true\" aria-describedby=\"file-error\"" : string.Empty)}>{error}");
            html.Append(ConsoleForms.OtherErrors(request, errors, "file"));
            html.Append($"<button type=\"submit\">{T("Importer", "Import")}</button></form>");
        }

        html.Append(await History(request, grains));
        return html.ToString();
    }

    private static string LineResults(ConsoleRequest request, ImportsApi.ImportResult result)
    {
        var T = request.T;
        var refused = result.Invalid + result.Conflict + result.Failed;
        var html = new StringBuilder();
        html.Append(Notice(T($"{result.Lines} ligne(s) lue(s) : {result.Created} acceptée(s), {result.Duplicate} déjà reçue(s), {refused} refusée(s).",
            $"{result.Lines} line(s) read: {result.Created} accepted, {result.Duplicate} already received, {refused} refused."), error: refused > 0));
        foreach (var w in result.Warnings)
        {
            html.Append($"<p class=\"muted\">{T("Ligne", "Line")} {w.Line}, {E(w.Field)} : {E(w.Reason)}</p>");
        }

        html.Append($"<h2>{T("Résultat ligne par ligne", "Line by line")}</h2><div class=\"table-wrap\"><table id=\"import-results\"><thead><tr>" +
            $"<th scope=\"col\" class=\"num\">{T("Ligne", "Line")}</th><th scope=\"col\">{T("Dossier", "Case")}</th><th scope=\"col\">{T("Résultat", "Result")}</th><th scope=\"col\">{T("Motif", "Reason")}</th></tr></thead><tbody>");
        foreach (var line in result.Results)
        {
            var reasons = string.Join(" ; ", line.Errors.Select(e => $"{e.Field} : {e.Reason}"));
            html.Append($"<tr><td class=\"num\">{line.Line}</td><td>{E(line.Reference)}</td><td>{Outcome(line.Status, T)}</td><td>{E(reasons)}</td></tr>");
        }

        return html.Append("</tbody></table></div>").ToString();
    }

    public static string Outcome(IntakeStatus status, Func<string, string, string> T) => status switch
    {
        IntakeStatus.Created => T("accepté", "accepted"),
        IntakeStatus.Duplicate => T("déjà reçu", "already received"),
        IntakeStatus.Conflict => T("refusé : la référence existe avec un autre contenu", "refused: the reference exists with other content"),
        IntakeStatus.Invalid => T("refusé", "refused"),
        _ => T("échec : à renvoyer", "failed: send it again"),
    };

    private static async Task<string> History(ConsoleRequest request, IGrainFactory grains)
    {
        var T = request.T;
        var imports = await grains.Reference<ICreditorImportsGrain>(request.CreditorId).List();
        var html = new StringBuilder($"<h2>{T("Historique des imports", "Import history")}</h2>");
        if (imports.Count == 0)
        {
            return html.Append($"<p class=\"muted\">{T("Aucun import pour l'instant.", "No import yet.")}</p>").ToString();
        }

        var users = (await grains.Reference<Recouvrement.Users.ICreditorUsersGrain>(request.CreditorId).List()).ToDictionary(u => u.Id, u => u.Email);
        html.Append($"<div class=\"table-wrap\"><table id=\"import-history\"><thead><tr><th scope=\"col\">{T("Date", "Date")}</th><th scope=\"col\">{T("Par", "By")}</th>" +
            $"<th scope=\"col\">{T("Fichier", "File")}</th><th scope=\"col\" class=\"num\">{T("Lignes", "Lines")}</th><th scope=\"col\" class=\"num\">{T("Acceptées", "Accepted")}</th>" +
            $"<th scope=\"col\" class=\"num\">{T("Déjà reçues", "Already received")}</th><th scope=\"col\" class=\"num\">{T("Refusées", "Refused")}</th></tr></thead><tbody>");
        foreach (var i in imports)
        {
            var by = i.Source == ImportRecord.Console
                ? i.By is { } user && users.TryGetValue(user, out var email) ? email : T("utilisateur retiré", "removed user")
                : T("API, clé ", "API, key ") + i.By;
            html.Append($"<tr><td>{Time(i.At)}</td><td>{E(by)}</td><td>{E(i.FileName ?? "–")}</td><td class=\"num\">{i.Lines}</td><td class=\"num\">{i.Created}</td>" +
                $"<td class=\"num\">{i.Duplicate}</td><td class=\"num\">{i.Invalid + i.Conflict + i.Failed}</td></tr>");
        }

        return html.Append("</tbody></table></div>").ToString();
    }
}
