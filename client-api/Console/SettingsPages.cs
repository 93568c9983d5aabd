using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Recouvrement.Api.Cases;
using Recouvrement.Api.Policy;
using Recouvrement.Api.Settings;
using static Recouvrement.Api.Console.ConsoleHtml;

namespace Recouvrement.Api.Console;

/// <summary>
/// <c>/console/settings</c> and <c>/console/policy</c>: the creditor's settings and dunning policy. Every user reads them;
/// an admin edits them, checked by the API's own validators (<see cref="SettingsApi.Validate"/>,
/// <see cref="PolicyApi.Validate"/>), each refusal shown next to its field.
/// </summary>
public static class SettingsPages
{
    private static readonly string[] CostFields = ["email", "sms", "letter", "registeredLetter"];

    public static void Map(RouteGroupBuilder viewer, RouteGroupBuilder admin)
    {
        viewer.MapGet("/settings", ShowSettings);
        admin.MapPost("/settings", SaveSettings);
        viewer.MapGet("/policy", ShowPolicy);
        admin.MapPost("/policy", SavePolicy);
    }

    public static async Task<IResult> ShowSettings(HttpContext context, IGrainFactory grains, string? done)
    {
        var request = ConsoleRequest.Of(context);
        var settings = await grains.Reference<ICreditorGrain>(request.CreditorId).GetSettings();
        return SettingsPage(request, Values(settings), [], done is not null);
    }

    public static async Task<IResult> SaveSettings(HttpContext context, IGrainFactory grains)
    {
        var request = ConsoleRequest.Of(context);
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var values = Fields().ToDictionary(f => f, f => (string?)form[f].ToString().Trim());
        values["recoveryIndemnity"] = form["recoveryIndemnity"].ToString() == "on" ? "on" : null;
        var grain = grains.Reference<ICreditorGrain>(request.CreditorId);
        var (settings, errors) = Read(values, await grain.GetSettings());
        if (settings is not null)
        {
            errors.AddRange(SettingsApi.Validate(settings));
        }

        if (errors.Count > 0)
        {
            return SettingsPage(request, values, errors, done: false);
        }

        await grain.SetSettings(SettingsApi.Normalised(settings!));
        return Results.Redirect("/console/settings?done=1");
    }

    private static IEnumerable<string> Fields() =>
        ["address.line1", "address.postalCode", "address.city", "address.country", "lateInterestRate", "plans.minInstalment", "plans.maxInstalments",
            .. CostFields.Select(c => "costs." + c)];

    /// <summary>The settings as the form shows them: each field by the API's name, numbers with a point.</summary>
    private static Dictionary<string, string?> Values(CreditorSettings s) => new()
    {
        ["address.line1"] = s.Address?.Line1,
        ["address.postalCode"] = s.Address?.PostalCode,
        ["address.city"] = s.Address?.City,
        ["address.country"] = s.Address?.Country,
        ["recoveryIndemnity"] = s.RecoveryIndemnity ? "on" : null,
        ["lateInterestRate"] = ConsoleForms.Text(s.LateInterestRate),
        ["plans.minInstalment"] = ConsoleForms.Text(s.Plans?.MinInstalment),
        ["plans.maxInstalments"] = s.Plans?.MaxInstalments.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["costs.email"] = ConsoleForms.Text(s.Costs?.Email),
        ["costs.sms"] = ConsoleForms.Text(s.Costs?.Sms),
        ["costs.letter"] = ConsoleForms.Text(s.Costs?.Letter),
        ["costs.registeredLetter"] = ConsoleForms.Text(s.Costs?.RegisteredLetter),
    };

    /// <summary>
    /// The posted form as settings (the litigation section, which the form does not show, kept as it is). A group left
    /// all empty is absent, as in the API (the defaults apply); a group half filled is refused on its empty fields.
    /// </summary>
    private static (CreditorSettings? Settings, List<FieldError> Errors) Read(Dictionary<string, string?> v, CreditorSettings current)
    {
        var errors = new List<FieldError>();
        bool Filled(string field) => !string.IsNullOrWhiteSpace(v[field]);
        PostalAddress? address = null;
        if (new[] { "address.line1", "address.postalCode", "address.city", "address.country" }.Any(Filled))
        {
            address = new PostalAddress(v["address.line1"] ?? string.Empty, v["address.postalCode"] ?? string.Empty, v["address.city"] ?? string.Empty, v["address.country"] ?? string.Empty);
        }

        var rate = ConsoleForms.Amount(v["lateInterestRate"], "lateInterestRate", errors);
        PlanRules? plans = null;
        if (Filled("plans.minInstalment") || Filled("plans.maxInstalments"))
        {
            var least = ConsoleForms.Amount(v["plans.minInstalment"], "plans.minInstalment", errors);
            var most = ConsoleForms.Whole(v["plans.maxInstalments"], "plans.maxInstalments", errors);
            if (!Filled("plans.minInstalment"))
            {
                errors.Add(new("plans.minInstalment", "required with plans.maxInstalments"));
            }

            if (!Filled("plans.maxInstalments"))
            {
                errors.Add(new("plans.maxInstalments", "required with plans.minInstalment"));
            }

            plans = new PlanRules(least ?? 0m, most ?? 0);
        }

        ChannelCosts? costs = null;
        if (CostFields.Any(c => Filled("costs." + c)))
        {
            var each = CostFields.Select(c =>
            {
                if (!Filled("costs." + c))
                {
                    errors.Add(new("costs." + c, "required when another cost is set"));
                }

                return ConsoleForms.Amount(v["costs." + c], "costs." + c, errors) ?? 0m;
            }).ToList();
            costs = new ChannelCosts(each[0], each[1], each[2], each[3]);
        }

        return (errors.Count > 0 ? null : new CreditorSettings(address, v["recoveryIndemnity"] == "on", rate, plans, current.Litigation, costs), errors);
    }

    private static IResult SettingsPage(ConsoleRequest request, Dictionary<string, string?> v, List<FieldError> errors, bool done)
    {
        var T = request.T;
        var html = new StringBuilder($"<h1>{T("Paramètres", "Settings")}</h1>");
        html.Append(Notice(done ? T("Paramètres enregistrés.", "Settings saved.") : null));
        html.Append(ConsoleForms.Summary(request, errors));
        if (!request.IsAdmin)
        {
            html.Append("<div class=\"card\"><dl>");
            void Row(string label, string? value) => html.Append($"<dt>{E(label)}</dt><dd>{(string.IsNullOrEmpty(value) ? "–" : E(value))}</dd>");
            Row(T("Adresse", "Address"), v["address.line1"] is null ? null : $"{v["address.line1"]}, {v["address.postalCode"]} {v["address.city"]} ({v["address.country"]})");
            Row(T("Indemnité forfaitaire de 40 €", "40 € recovery indemnity"), v["recoveryIndemnity"] == "on" ? T("oui", "yes") : T("non", "no"));
            Row(T("Intérêts de retard (% par an)", "Late interest (% a year)"), v["lateInterestRate"]);
            Row(T("Échéancier : mensualité minimale", "Plans: smallest instalment"), v["plans.minInstalment"]);
            Row(T("Échéancier : mensualités au plus", "Plans: most instalments"), v["plans.maxInstalments"]);
            foreach (var c in CostFields)
            {
                Row(T("Coût unitaire : ", "Unit cost: ") + c, v["costs." + c]);
            }

            html.Append("</dl></div>");
            return Html(Page(request, T("Paramètres", "Settings"), "settings", html.ToString()), errors.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
        }

        string F(string name, string label, string attributes = "") => ConsoleForms.Field(request, name, label, v[name], errors, attributes);
        html.Append($"<form method=\"post\" action=\"/console/settings\" class=\"card\" novalidate>{request.Antiforgery}");
        html.Append($"<fieldset><legend>{T("Adresse du créancier (imprimée sur les courriers)", "The creditor's address (printed on letters)")}</legend>");
        html.Append(F("address.line1", T("Adresse", "Street address"), "maxlength=\"200\""));
        html.Append(F("address.postalCode", T("Code postal", "Postal code"), "maxlength=\"16\""));
        html.Append(F("address.city", T("Ville", "City"), "maxlength=\"200\""));
        html.Append(F("address.country", T("Pays (code ISO, ex. FR)", "Country (ISO code, e.g. FR)"), "maxlength=\"2\""));
        html.Append("</fieldset>");
        html.Append($"<fieldset><legend>{T("Débiteurs professionnels", "Business debtors")}</legend>");
        html.Append($"<label><input type=\"checkbox\" name=\"recoveryIndemnity\"{(v["recoveryIndemnity"] == "on" ? " checked" : string.Empty)}> {T("Réclamer l'indemnité forfaitaire de 40 €", "Claim the 40 € recovery indemnity")}</label>");
        html.Append(F("lateInterestRate", T("Intérêts de retard (% par an)", "Late interest (% a year)"), "inputmode=\"decimal\""));
        html.Append("</fieldset>");
        html.Append($"<fieldset><legend>{T("Échéanciers", "Payment plans")}</legend>");
        html.Append(F("plans.minInstalment", T("Mensualité minimale", "Smallest instalment"), "inputmode=\"decimal\""));
        html.Append(F("plans.maxInstalments", T("Nombre de mensualités au plus", "Most instalments"), "inputmode=\"numeric\""));
        html.Append("</fieldset>");
        html.Append($"<fieldset><legend>{T("Coût d'un message (laissez vide pour les valeurs par défaut)", "Cost of one message (leave empty for the defaults)")}</legend>");
        html.Append(F("costs.email", T("E-mail", "E-mail"), "inputmode=\"decimal\""));
        html.Append(F("costs.sms", T("SMS", "SMS"), "inputmode=\"decimal\""));
        html.Append(F("costs.letter", T("Lettre", "Letter"), "inputmode=\"decimal\""));
        html.Append(F("costs.registeredLetter", T("Lettre recommandée", "Registered letter"), "inputmode=\"decimal\""));
        html.Append("</fieldset>");
        html.Append(ConsoleForms.OtherErrors(request, errors, [.. Fields()]));
        html.Append($"<p class=\"muted\">{T("Le contentieux (voies, coûts, délais) se règle par l'API (PUT /api/v1/settings) ; il est conservé tel quel.", "Litigation (routes, costs, delays) is set through the API (PUT /api/v1/settings); it is kept as it is.")}</p>");
        html.Append($"<button type=\"submit\">{T("Enregistrer les paramètres", "Save the settings")}</button></form>");
        return Html(Page(request, T("Paramètres", "Settings"), "settings", html.ToString()), errors.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
    }

    public static async Task<IResult> ShowPolicy(HttpContext context, IGrainFactory grains, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, string? done)
    {
        var request = ConsoleRequest.Of(context);
        var policy = await grains.Reference<ICreditorGrain>(request.CreditorId).GetPolicy();
        return PolicyPage(request, policy, Indented(json.Value.SerializerOptions, policy), [], done is not null);
    }

    public static async Task<IResult> SavePolicy(HttpContext context, IGrainFactory grains, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    {
        var request = ConsoleRequest.Of(context);
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var text = form["policy"].ToString();
        var grain = grains.Reference<ICreditorGrain>(request.CreditorId);
        List<FieldError> errors;
        DunningPolicy? policy = null;
        try
        {
            policy = JsonSerializer.Deserialize<DunningPolicy>(text, json.Value.SerializerOptions);
            errors = policy is null ? [new("policy", "a JSON object is expected")] : PolicyApi.Validate(policy);
        }
        catch (JsonException e)
        {
            errors = [Hosting.JsonBodyErrors.Describe(e, typeof(DunningPolicy)) ?? new FieldError("policy", $"not valid JSON (line {e.LineNumber + 1})")];
        }

        if (errors.Count > 0)
        {
            return PolicyPage(request, await grain.GetPolicy(), text, errors, done: false);
        }

        await grain.SetPolicy(PolicyApi.Normalized(policy!));
        return Results.Redirect("/console/policy?done=1");
    }

    private static JsonSerializerOptions? indented;

    /// <summary>The policy as the API writes it, indented to be read and edited.</summary>
    private static string Indented(JsonSerializerOptions options, DunningPolicy policy) =>
        JsonSerializer.Serialize(policy, indented ??= new JsonSerializerOptions(options) { WriteIndented = true });

    private static IResult PolicyPage(ConsoleRequest request, DunningPolicy policy, string text, List<FieldError> errors, bool done)
    {
        var T = request.T;
        var html = new StringBuilder($"<h1>{T("Politique de relance", "Dunning policy")}</h1>");
        html.Append(Notice(done ? T("Politique enregistrée.", "Policy saved.") : null));
        html.Append(ConsoleForms.Summary(request, errors));
        foreach (var (name, steps, threshold) in Schedules(policy, T))
        {
            html.Append($"<h2>{E(name)}</h2><div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">{T("Jour", "Day")}</th><th scope=\"col\">{T("Action", "Action")}</th><th scope=\"col\">{T("Canaux", "Channels")}</th></tr></thead><tbody>");
            foreach (var step in steps)
            {
                html.Append($"<tr><td>J+{step.DayAfterDue}</td><td>{E(step.Action.ToString().ToLowerInvariant())}</td><td>{E(string.Join(", ", (step.Channels ?? []).Select(c => c.ToString().ToLowerInvariant())))}</td></tr>");
            }

            html.Append($"</tbody></table></div><p class=\"muted\">{T("Seuil de contentieux : ", "Litigation threshold: ")}{Money(threshold, request.Language)}</p>");
        }

        if (request.IsAdmin)
        {
            var error = ConsoleForms.ErrorFor(request, "policy", errors);
            html.Append($"<form method=\"post\" action=\"/console/policy\" class=\"card\">{request.Antiforgery}<h2>{T("Modifier", "Edit")}</h2>");
            html.Append($"<label for=\"policy\">{T("La politique en JSON, comme PUT /api/v1/policy la reçoit", "The policy as JSON, as PUT /api/v1/policy takes it")}</label>");
            html.Append($"<textarea id=\"policy\" name=\"policy\" rows=\"20\" spellcheck=\"false\"{(errors.Count > 0 ? " aria-invalid=\"true\" aria-describedby=\"policy-errors\"" : string.Empty)}>{E(text)}</textarea>");
            html.Append($"<div id=\"policy-errors\">{error}{ConsoleForms.OtherErrors(request, errors, "policy")}</div>");
            html.Append($"<button type=\"submit\">{T("Enregistrer la politique", "Save the policy")}</button></form>");
        }

        return Html(Page(request, T("Politique de relance", "Dunning policy"), "policy", html.ToString()), errors.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
    }

    private static IEnumerable<(string Name, IReadOnlyList<PolicyStep> Steps, decimal Threshold)> Schedules(DunningPolicy policy, Func<string, string, string> T)
    {
        if (policy.Variants is not { Count: > 0 } variants)
        {
            yield return (T("Calendrier", "Schedule"), policy.Steps, policy.EscalationThreshold);
            yield break;
        }

        foreach (var v in variants)
        {
            yield return ($"{T("Variante", "Variant")} {v.Name} ({T("poids", "weight")} {v.Weight})", v.Steps, v.EscalationThreshold);
        }
    }
}
