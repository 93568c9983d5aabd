using System.Globalization;
using System.Net;
using System.Text;
using Recouvrement.Users;

namespace Recouvrement.Api.Console;

/// <summary>
/// The console's HTML: one framework-free layout, server-rendered, no script. Mobile first (a phone gets one column and
/// tables that scroll sideways), visible labels, a skip link, a visible focus ring, and text colours above 7:1 on
/// their backgrounds.
/// </summary>
public static class ConsoleHtml
{
    public const string Style = """
        *{box-sizing:border-box}
        body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#f4f5f7}
        .skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem}
        .skip:focus{left:.5rem;z-index:2}
        header{background:#1d3a8a;color:#fff;padding:.5rem 1rem}
        header a,header button.link{color:#fff}
        .bar{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;max-width:80rem;margin:0 auto}
        .brand{font-weight:700;margin-right:auto}
        .bar span{overflow-wrap:anywhere;min-width:0}
        ol.card{padding-left:2.5rem}
        nav.main{background:#fff;border-bottom:1px solid #c8ccd2}
        nav.main ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:0 auto;padding:.5rem 1rem;max-width:80rem}
        nav.main a{color:#1d3a8a;text-decoration:none;padding:.25rem 0;display:inline-block}
        nav.main a[aria-current=page]{font-weight:700;border-bottom:3px solid #1d3a8a}
        main{max-width:80rem;margin:0 auto;padding:1rem}
        h1{font-size:1.5rem;margin:.5rem 0 1rem}
        h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
        .card{background:#fff;border:1px solid #c8ccd2;border-radius:.5rem;padding:1rem;margin:0 0 1rem}
        .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:1rem}
        .figure{font-size:1.6rem;font-weight:700}
        .muted{color:#3d4350}
        dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem .75rem;margin:0 0 1rem}
        dt{color:#3d4350}dd{margin:0;font-weight:600}
        label{display:block;font-weight:600;margin:.5rem 0 .25rem}
        input,select,textarea{width:100%;font:inherit;padding:.55rem;border:1px solid #6b7280;border-radius:.35rem;background:#fff;color:#1a1a1a}
        textarea{min-height:5rem}
        fieldset{border:1px solid #c8ccd2;border-radius:.35rem;margin:.5rem 0;padding:.5rem 1rem}
        .filters{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:0 1rem;align-items:end}
        button,.button{display:inline-block;font:inherit;font-weight:600;padding:.6rem 1rem;margin:.5rem 0;border:0;border-radius:.35rem;background:#1d3a8a;color:#fff;text-decoration:none;cursor:pointer}
        button.secondary,.button.secondary{background:#fff;color:#1d3a8a;border:2px solid #1d3a8a}
        button.danger{background:#8a1c1c}
        button.link{background:none;border:0;padding:0;margin:0;text-decoration:underline;font-weight:400}
        a{color:#1d3a8a}
        :focus-visible{outline:3px solid #b45309;outline-offset:2px}
        .table-wrap{overflow-x:auto}
        table{border-collapse:collapse;width:100%;background:#fff}
        th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid #dfe2e6;vertical-align:top}
        th{background:#eef0f3}
        td.num,th.num{text-align:right;white-space:nowrap}
        .status{padding:.75rem 1rem;border-radius:.35rem;background:#e7f3ea;border:1px solid #2f6b3c;color:#1b4325}
        .status.error{background:#fbeaea;border-color:#8a1c1c;color:#5c1111}
        .field-error{color:#5c1111;font-weight:600;margin:.25rem 0 0}[aria-invalid=true]{border:2px solid #8a1c1c}input[type=checkbox]{width:auto}
        .secret{font-family:ui-monospace,monospace;word-break:break-all;background:#fff8e1;border:1px solid #8a6d00;padding:.5rem}
        .inline{display:inline}
        .actions{display:flex;flex-wrap:wrap;gap:0 1rem}
        figure{margin:0}
        figcaption{font-weight:600;margin-bottom:.25rem}
        svg{max-width:100%;height:auto}
        .narrow{max-width:28rem;margin:2rem auto}
        @media (max-width:40rem){button,.button{width:100%}.actions{display:block}}
        """;

    public static string E(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    /// <summary>Text in the page's language: French by default, English when asked for.</summary>
    public static Func<string, string, string> Texts(string language) => (fr, en) => language == "en" ? en : fr;

    public static string Money(decimal amount, string language, string currency = "EUR") =>
        string.Format(Culture(language), "{0:N2} {1}", amount, currency == "EUR" ? "€" : currency);

    public static string Number(decimal value, string language, int decimals = 0) =>
        value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), Culture(language));

    public static string Percent(decimal? share, string language) =>
        share is { } s ? (s * 100m).ToString("N1", Culture(language)) + " %" : "–";

    public static string Date(DateOnly day) => day.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset at) =>
        Recouvrement.Calendar.ParisTime.ToParis(at).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);

    public static CultureInfo Culture(string language) => CultureInfo.GetCultureInfo(language == "en" ? "en-GB" : "fr-FR");

    /// <summary>A page for someone not signed in (sign-in, invitation): no navigation.</summary>
    public static string Bare(string language, string title, string body) =>
        Document(language, title, $"<main id=\"main\" class=\"narrow\">{body}</main>");

    /// <summary>A signed-in page: the bar (who, language, sign-out), the navigation the role allows, the body.</summary>
    public static string Page(ConsoleRequest request, string title, string current, string body)
    {
        var T = request.T;
        var html = new StringBuilder();
        html.Append($"<a class=\"skip\" href=\"#main\">{T("Aller au contenu", "Skip to content")}</a>");
        html.Append("<header><div class=\"bar\">");
        html.Append($"<span class=\"brand\">Recouvrement – {E(request.Principal.IsOperator ? T("Opérateur", "Operator") : request.CreditorName)}</span>");
        html.Append($"<span>{E(request.Principal.Email ?? T("opérateur", "operator"))}{(request.Role is { } role ? $" ({RoleName(role, T)})" : string.Empty)}</span>");
        var other = request.Language == "en" ? "fr" : "en";
        html.Append($"<a href=\"/console/language?to={other}&amp;back={E(Uri.EscapeDataString(request.Http.Request.Path + request.Http.Request.QueryString))}\" lang=\"{other}\">{(other == "en" ? "English" : "Français")}</a>");
        html.Append($"<form class=\"inline\" method=\"post\" action=\"/console/signout\">{request.Antiforgery}<button type=\"submit\" class=\"link\">{T("Se déconnecter", "Sign out")}</button></form>");
        html.Append("</div></header>");
        html.Append($"<nav class=\"main\" aria-label=\"{T("Menu principal", "Main menu")}\"><ul>");
        foreach (var (key, href, label) in Navigation(request))
        {
            html.Append($"<li><a href=\"{href}\"{(key == current ? " aria-current=\"page\"" : string.Empty)}>{label}</a></li>");
        }

        html.Append("</ul></nav>");
        html.Append($"<main id=\"main\">{body}</main>");
        return Document(request.Language, title + " – Recouvrement", html.ToString());
    }

    private static IEnumerable<(string Key, string Href, string Label)> Navigation(ConsoleRequest request)
    {
        var T = request.T;
        if (request.Principal.IsOperator)
        {
            yield return ("operator", "/console/operator", T("Créanciers", "Creditors"));
            yield break;
        }

        yield return ("overview", "/console", T("Vue d'ensemble", "Overview"));
        yield return ("cases", "/console/cases", T("Dossiers", "Cases"));
        yield return ("statements", "/console/statements", T("Relevés", "Statements"));
        yield return ("imports", "/console/imports", T("Imports", "Imports"));
        yield return ("policy", "/console/policy", T("Relances", "Policy"));
        yield return ("settings", "/console/settings", T("Paramètres", "Settings"));
        yield return ("webhooks", "/console/webhooks", T("Webhooks", "Webhooks"));
        yield return ("users", "/console/users", T("Utilisateurs", "Users"));
        yield return ("keys", "/console/keys", T("Clés d'API", "API keys"));
    }

    public static string RoleName(UserRole role, Func<string, string, string> T) => role switch
    {
        UserRole.Admin => T("administrateur", "admin"),
        UserRole.Agent => T("agent", "agent"),
        _ => T("lecteur", "viewer"),
    };

    public static string Notice(string? text, bool error = false) =>
        string.IsNullOrEmpty(text) ? string.Empty : $"<p class=\"status{(error ? " error" : string.Empty)}\" role=\"{(error ? "alert" : "status")}\">{E(text)}</p>";

    private static string Document(string language, string title, string body) =>
        $"<!doctype html><html lang=\"{language}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
        $"<meta name=\"robots\" content=\"noindex\"><title>{E(title)}</title><style>{Style}</style></head><body>{body}</body></html>";

    public static IResult Html(string html, int status = StatusCodes.Status200OK) =>
        Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
}
