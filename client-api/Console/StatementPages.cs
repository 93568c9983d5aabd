using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Recouvrement.Api.DebtorPages;
using Recouvrement.Api.Statements;
using static Recouvrement.Api.Console.ConsoleHtml;

namespace Recouvrement.Api.Console;

/// <summary><c>/console/statements</c>: the session's creditor's commission statement of a month, and its CSV and PDF.</summary>
public static class StatementPages
{
    public static void Map(RouteGroupBuilder viewer)
    {
        viewer.MapGet("/statements", Show);
        viewer.MapGet("/statements/{month}/{file}", Download);
    }

    public static async Task<IResult> Show(
        HttpContext context, string? month, IGrainFactory grains, IPaymentRecords payments, IOptions<AgencyInfo> agency, TimeProvider time)
    {
        var request = ConsoleRequest.Of(context);
        var T = request.T;
        var first = StatementsApi.ParseMonth(month) ?? FirstOfMonth(Calendar.ParisTime.DateOf(time.GetUtcNow()));
        var statement = await StatementsApi.BuildAsync(grains, payments, agency.Value, request.CreditorId, first, context.RequestAborted);
        var lang = request.Language;
        var html = new StringBuilder($"<h1>{T("Relevé de commissions", "Commission statement")} {statement.Period}</h1>");
        html.Append($"<form method=\"get\" action=\"/console/statements\" class=\"card filters\"><div><label for=\"month\">{T("Mois", "Month")}</label>" +
            $"<input id=\"month\" name=\"month\" type=\"month\" value=\"{statement.Period}\"></div><div><button type=\"submit\">{T("Afficher", "Show")}</button></div></form>");
        html.Append($"<p class=\"actions\"><a class=\"button secondary\" href=\"/console/statements/{statement.Period}/statement.csv\">CSV</a>" +
            $"<a class=\"button secondary\" href=\"/console/statements/{statement.Period}/statement.pdf\">PDF</a></p>");
        foreach (var total in statement.Totals)
        {
            html.Append("<div class=\"card\"><dl>");
            html.Append($"<dt>{T("Paiements", "Payments")}</dt><dd>{total.Payments} – {Money(total.Collected, lang, total.Currency)}</dd>");
            html.Append($"<dt>{T("Encaissés par l'agence", "Collected by the agency")}</dt><dd>{Money(total.CollectedByAgency, lang, total.Currency)}</dd>");
            html.Append($"<dt>{T("Déclarés par le créancier", "Reported by the creditor")}</dt><dd>{Money(total.ReportedByCreditor, lang, total.Currency)}</dd>");
            html.Append($"<dt>{T("Commission", "Commission")}</dt><dd>{Money(total.Commission, lang, total.Currency)}</dd>");
            html.Append($"<dt>{(total.Settlement == "remit" ? T("Net reversé", "Net remitted") : T("Net facturé", "Net invoiced"))}</dt><dd>{Money(total.SettlementAmount, lang, total.Currency)}</dd>");
            html.Append("</dl></div>");
        }

        html.Append($"<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">{T("Date", "Date")}</th><th scope=\"col\">{T("Dossier", "Case")}</th>" +
            $"<th scope=\"col\">{T("Débiteur", "Debtor")}</th><th scope=\"col\">{T("Moyen", "Method")}</th><th scope=\"col\">{T("Encaissé par", "Collected by")}</th>" +
            $"<th scope=\"col\" class=\"num\">{T("Montant", "Amount")}</th><th scope=\"col\" class=\"num\">{T("Taux", "Rate")}</th><th scope=\"col\" class=\"num\">{T("Commission", "Commission")}</th></tr></thead><tbody>");
        foreach (var line in statement.Lines)
        {
            html.Append($"<tr><td>{Time(line.RecordedAt)}</td><td><a href=\"/console/cases/{Uri.EscapeDataString(line.CaseReference)}\">{E(line.CaseReference)}</a></td>" +
                $"<td>{E(line.DebtorReference)}</td><td>{E(line.Method)}</td><td>{(line.CollectedBy == "agency" ? T("l'agence", "the agency") : T("le créancier", "the creditor"))}</td>" +
                $"<td class=\"num\">{Money(line.Amount, lang, line.Currency)}</td><td class=\"num\">{line.CommissionRate.ToString("0.##", Culture(lang))} %</td>" +
                $"<td class=\"num\">{Money(line.Commission, lang, line.Currency)}</td></tr>");
        }

        html.Append("</tbody></table></div>");
        return Html(Page(request, T("Relevés", "Statements"), "statements", html.ToString()));
    }

    public static async Task<IResult> Download(
        HttpContext context, string month, string file, IGrainFactory grains, IPaymentRecords payments, IOptions<AgencyInfo> agency, StatementPdf pdf)
    {
        var request = ConsoleRequest.Of(context);
        if (StatementsApi.ParseMonth(month) is not { } first || file is not ("statement.csv" or "statement.pdf"))
        {
            return Results.NotFound();
        }

        var statement = await StatementsApi.BuildAsync(grains, payments, agency.Value, request.CreditorId, first, context.RequestAborted);
        var name = $"statement-{statement.CreditorId}-{statement.Period}";
        return file == "statement.csv"
            ? Results.File(StatementsApi.Csv(statement), "text/csv; charset=utf-8", name + ".csv")
            : Results.File(pdf.Render(statement, request.Language), "application/pdf", name + ".pdf");
    }

    private static DateOnly FirstOfMonth(DateOnly day) => new(day.Year, day.Month, 1);
}
