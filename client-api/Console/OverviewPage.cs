using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Recouvrement.Api.DebtorPages;
using Recouvrement.Api.Statements;
using static Recouvrement.Api.Console.ConsoleHtml;

namespace Recouvrement.Api.Console;

/// <summary>
/// <c>/console</c>: the creditor's overview. What it shows is read from this month's payments alone (the statement's
/// index), never from a walk of all the cases: recovered this month, by whom, the commission, and a chart of the
/// amounts recovered day by day.
/// </summary>
public static class OverviewPage
{
    public static async Task<IResult> Show(HttpContext context, IGrainFactory grains, IPaymentRecords payments, IOptions<AgencyInfo> agency, TimeProvider time)
    {
        var request = ConsoleRequest.Of(context);
        var T = request.T;
        var lang = request.Language;
        var today = Calendar.ParisTime.DateOf(time.GetUtcNow());
        var month = new DateOnly(today.Year, today.Month, 1);
        var statement = await StatementsApi.BuildAsync(grains, payments, agency.Value, request.CreditorId, month, context.RequestAborted);
        var html = new StringBuilder($"<h1>{T("Vue d'ensemble", "Overview")}</h1>");
        var euros = statement.Totals.FirstOrDefault(t => t.Currency == "EUR") ?? new StatementTotals("EUR", 0, 0, 0, 0, 0, 0, "remit", 0);
        html.Append("<div class=\"grid\">");
        Figure(html, T("Recouvré ce mois-ci", "Recovered this month"), Money(euros.Collected, lang), T($"{euros.Payments} paiement(s)", $"{euros.Payments} payment(s)"));
        Figure(html, T("Encaissé par l'agence", "Collected by the agency"), Money(euros.CollectedByAgency, lang), T("paiements en ligne", "paid online"));
        Figure(html, T("Commission du mois", "Commission this month"), Money(euros.Commission, lang), statement.Period);
        html.Append("</div>");

        var days = Enumerable.Range(0, DateTime.DaysInMonth(month.Year, month.Month)).Select(month.AddDays).ToList();
        var byDay = statement.Lines.Where(l => l.Currency == "EUR").GroupBy(l => Calendar.ParisTime.DateOf(l.RecordedAt)).ToDictionary(g => g.Key, g => g.Sum(l => l.Amount));
        var title = T($"Montants recouvrés par jour, {statement.Period}", $"Amounts recovered per day, {statement.Period}");
        html.Append($"<figure class=\"card\"><figcaption>{E(title)}</figcaption>");
        html.Append(SvgCharts.Bars(title, [.. days.Select(d => (d.Day.ToString(CultureInfo.InvariantCulture), byDay.GetValueOrDefault(d)))], v => Money(v, lang)));
        html.Append("</figure>");
        html.Append($"<p class=\"actions\"><a href=\"/console/cases\">{T("Voir les dossiers", "See the cases")}</a> <a href=\"/console/statements\">{T("Relevé du mois", "This month's statement")}</a></p>");
        return Html(Page(request, T("Vue d'ensemble", "Overview"), "overview", html.ToString()));
    }

    private static void Figure(StringBuilder html, string label, string value, string note) =>
        html.Append($"<div class=\"card\"><p class=\"muted\">{E(label)}</p><p class=\"figure\">{E(value)}</p><p class=\"muted\">{E(note)}</p></div>");
}
