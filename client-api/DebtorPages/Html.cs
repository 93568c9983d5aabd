using System.Globalization;
using System.Net;
using System.Text;

namespace Recouvrement.Api.DebtorPages;

/// <summary>
/// The debtor pages' HTML: a small, framework-free, mobile-first layout with visible labels, strong contrast
/// (dark text on white, white on dark blue, both above 7:1) and a visible focus ring for keyboard users.
/// </summary>
public static class Html
{
    public const string Style = """
        *{box-sizing:border-box}
        body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#f4f5f7}
        main{max-width:42rem;margin:0 auto;padding:1rem}
        h1{font-size:1.5rem;margin:.5rem 0 1rem}
        h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
        h3{font-size:1.05rem;margin:0 0 .5rem}
        .card{background:#fff;border:1px solid #c8ccd2;border-radius:.5rem;padding:1rem;margin:0 0 1rem}
        dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem .75rem;margin:0 0 1rem}
        dt{color:#3d4350}dd{margin:0;font-weight:600}
        label{display:block;font-weight:600;margin:.5rem 0 .25rem}
        input,select,textarea{width:100%;font:inherit;padding:.6rem;border:1px solid #6b7280;border-radius:.35rem;background:#fff;color:#1a1a1a}
        textarea{min-height:6rem}
        button,.button{display:inline-block;font:inherit;font-weight:600;padding:.7rem 1rem;margin:.5rem 0;border:0;border-radius:.35rem;background:#1d3a8a;color:#fff;text-decoration:none;cursor:pointer;width:100%;text-align:center}
        button.secondary{background:#fff;color:#1d3a8a;border:2px solid #1d3a8a}
        a{color:#1d3a8a}
        :focus-visible{outline:3px solid #b45309;outline-offset:2px}
        .status{padding:.75rem 1rem;border-radius:.35rem;background:#e7f3ea;border:1px solid #2f6b3c;color:#1b4325}
        .status.error{background:#fbeaea;border-color:#8a1c1c;color:#5c1111}
        .paid{color:#1b4325}
        details summary{cursor:pointer;font-weight:600;color:#1d3a8a;padding:.5rem 0}
        .legal{font-size:.875rem;color:#3d4350}
        nav.lang{text-align:right;font-size:.9rem}
        @media (min-width:40rem){button,.button{width:auto}}
        """;

    public static string E(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    public static string Page(string language, string title, string body) =>
        $"<!doctype html><html lang=\"{language}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
        $"<meta name=\"robots\" content=\"noindex\"><title>{E(title)}</title><style>{Style}</style></head><body><main>{body}</main></body></html>";

    public static string Money(decimal amount, string currency, string language) =>
        string.Format(CultureInfo.GetCultureInfo(language == "en" ? "en-GB" : "fr-FR"), "{0:N2} {1}", amount, currency == "EUR" ? "€" : currency);

    public static string Date(DateOnly day) => day.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    public static StringBuilder Line(this StringBuilder html, string fragment) => html.Append(fragment).Append('\n');
}
