using System.Globalization;
using System.Text;
using Recouvrement.Api.Reports;
using Recouvrement.Calendar;
using static Recouvrement.Api.Console.ConsoleHtml;

namespace Recouvrement.Api.Console;

/// <summary>
/// <c>/console</c>: the creditor's overview, read from the report counters the projection keeps (as
/// <c>GET /api/v1/reports/summary</c> and <c>/reports/cohorts</c> give them), never from a walk of the cases: open cases
/// and outstanding, recovered this month and to date, recovery rates, days from intake to payment, cases by status and
/// stage, and three charts drawn on the server: recovery curves by intake month, the funnel of stages reached, payments
/// by channel. Payments by channel and days to pay cover this month and the eleven before. Amounts in euros.
/// </summary>
public static class OverviewPage
{
    /// <summary>The months over which the overview counts payments by channel and days to pay: this one and the eleven before.</summary>
    private const int Months = 12;

    /// <summary>The intake months drawn as curves: the latest ones.</summary>
    private const int CurveMonths = 6;

    public static async Task<IResult> Show(HttpContext context, IReportCounters counters, [FromKeyedServices(EngineClock.Key)] TimeProvider clock)
    {
        var request = ConsoleRequest.Of(context);
        var T = request.T;
        var lang = request.Language;
        var today = ParisTime.DateOf(clock.GetUtcNow());
        const string currency = ReportsApi.DefaultCurrency;
        var since = new DateOnly(today.Year, today.Month, 1).AddMonths(1 - Months);
        var summary = await ReportsApi.SummaryAsync(counters, request.CreditorId, currency, today, since, today, context.RequestAborted);
        var cohorts = await ReportsApi.CohortsAsync(counters, request.CreditorId, currency, today, context.RequestAborted);
        var (portfolio, period) = (summary.Portfolio, summary.Period);
        var thisMonth = period.ByMonth.FirstOrDefault(m => m.Month == today.ToString("yyyy-MM", CultureInfo.InvariantCulture)) ?? new MonthRecovered(string.Empty, 0, 0);
        string Days(double? days) => days is { } d ? T($"{d.ToString("0.#", Culture(lang))} j", $"{d.ToString("0.#", Culture(lang))} d") : "–";

        var html = new StringBuilder($"<h1>{T("Vue d'ensemble", "Overview")}</h1>");
        html.Append("<div class=\"grid\">");
        Figure(html, T("Recouvré ce mois-ci", "Recovered this month"), Money(thisMonth.Recovered, lang), T($"{thisMonth.Payments} paiement(s)", $"{thisMonth.Payments} payment(s)"));
        Figure(html, T("Recouvré depuis le début", "Recovered to date"), Money(portfolio.Recovered, lang), T($"sur {Money(portfolio.Amount, lang)} confiés", $"of {Money(portfolio.Amount, lang)} placed"));
        Figure(html, T("Dossiers ouverts", "Open cases"), Number(portfolio.OpenCases, lang), T($"sur {Number(portfolio.Cases, lang)} dossiers", $"of {Number(portfolio.Cases, lang)} cases"));
        Figure(html, T("Encours", "Outstanding"), Money(portfolio.Outstanding, lang), T("reste dû sur les dossiers ouverts", "still owed on open cases"));
        Figure(html, T("Taux de recouvrement (montant)", "Recovery rate (amount)"), Percent(portfolio.RecoveryRate.Amount, lang), T("du montant confié", "of the amount placed"));
        Figure(html, T("Taux de recouvrement (dossiers)", "Recovery rate (cases)"), Percent(portfolio.RecoveryRate.Cases, lang), T($"{Number(portfolio.PaidCases, lang)} dossiers payés", $"{Number(portfolio.PaidCases, lang)} cases paid"));
        Figure(html, T("Délai moyen de paiement", "Average days to payment"), Days(period.AverageDaysToPay), T("de l'intégration au paiement complet, sur 12 mois", "from intake to payment in full, over 12 months"));
        Figure(html, T("Délai médian de paiement", "Median days to payment"), Days(period.MedianDaysToPay), T($"{Number(period.PaidCases, lang)} dossiers payés en 12 mois", $"{Number(period.PaidCases, lang)} cases paid in 12 months"));
        html.Append("</div>");

        html.Append($"<h2>{T("Graphiques", "Charts")}</h2><div class=\"grid\">");
        var curvesTitle = T("Courbes de recouvrement par mois d'intégration", "Recovery curves by intake month");
        var recent = cohorts.Cohorts.TakeLast(CurveMonths).ToList();
        var curves = recent.Select(c =>
        {
            var start = DateOnly.ParseExact(c.Month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
            return (c.Month, (IReadOnlyList<decimal?>)[.. c.Points.Select(p => start.AddDays(p.Day) <= today ? p.Share : (decimal?)null)]);
        }).ToList();
        Chart(html, curvesTitle, T("Part du montant confié recouvrée n jours après l'intégration.", "Share of the amount placed recovered n days after intake."),
            SvgCharts.Curves("chart-curves", curvesTitle, cohorts.Days, curves, s => Percent(s, lang), d => T($"J{d}", $"D{d}")));

        var funnelTitle = T("Entonnoir : dossiers par étape atteinte", "Funnel: cases by stage reached");
        Chart(html, funnelTitle, T("Nombre de dossiers ayant atteint au moins chaque étape de relance.", "Cases that reached at least each reminder stage."),
            SvgCharts.HorizontalBars("chart-funnel", funnelTitle, [.. portfolio.Funnel.Select(f =>
                (f.Stage == 0 ? T("Intégrés", "Placed") : T($"Étape {f.Stage}", $"Stage {f.Stage}"), (decimal)f.Reached, $"{Number(f.Reached, lang)} ({Percent(f.Share, lang)})"))]));

        var channelsTitle = T("Paiements par canal du dernier message, sur 12 mois", "Payments by channel of the last message, over 12 months");
        Chart(html, channelsTitle, T("Montants recouvrés selon le canal du dernier message reçu avant le paiement.", "Amounts recovered by the channel of the last message before the payment."),
            SvgCharts.HorizontalBars("chart-channels", channelsTitle, [.. period.ByChannel.Select(c =>
                (ChannelName(c.Channel, T), c.Recovered, $"{Money(c.Recovered, lang)} ({c.Payments})"))]));
        html.Append("</div>");

        html.Append($"<h2>{T("Dossiers par statut", "Cases by status")}</h2>");
        Table(html, T("Statut", "Status"), portfolio.ByStatus.Select(g => (CasePages.StatusName(CaseStatuses.Parse(g.Status!), T), g)), T, lang);
        html.Append($"<h2>{T("Dossiers par étape", "Cases by stage")}</h2>");
        Table(html, T("Étape", "Stage"), portfolio.ByStage.Select(g => (g.Stage!.Value.ToString(CultureInfo.InvariantCulture), g)), T, lang);
        html.Append($"<p class=\"actions\"><a href=\"/console/cases\">{T("Voir les dossiers", "See the cases")}</a> <a href=\"/console/statements\">{T("Relevé du mois", "This month's statement")}</a></p>");
        return Html(Page(request, T("Vue d'ensemble", "Overview"), "overview", html.ToString()));
    }

    private static string ChannelName(string channel, Func<string, string, string> T) => channel switch
    {
        "email" => T("E-mail", "E-mail"),
        "sms" => "SMS",
        "letter" => T("Courrier", "Letter"),
        _ => T("Aucun message", "No message"),
    };

    private static void Figure(StringBuilder html, string label, string value, string note) =>
        html.Append($"<div class=\"card\"><p class=\"muted\">{E(label)}</p><p class=\"figure\">{E(value)}</p><p class=\"muted\">{E(note)}</p></div>");

    private static void Chart(StringBuilder html, string title, string note, string svg) =>
        html.Append($"<figure class=\"card\"><figcaption>{E(title)}</figcaption><p class=\"muted\">{E(note)}</p>{svg}</figure>");

    private static void Table(StringBuilder html, string first, IEnumerable<(string Name, StandingGroup Group)> rows, Func<string, string, string> T, string lang)
    {
        html.Append($"<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">{E(first)}</th><th scope=\"col\" class=\"num\">{T("Dossiers", "Cases")}</th>");
        html.Append($"<th scope=\"col\" class=\"num\">{T("Montant", "Amount")}</th><th scope=\"col\" class=\"num\">{T("Payé", "Paid")}</th><th scope=\"col\" class=\"num\">{T("Reste dû", "Balance")}</th></tr></thead><tbody>");
        foreach (var (name, g) in rows)
        {
            html.Append($"<tr><th scope=\"row\">{E(name)}</th><td class=\"num\">{Number(g.Cases, lang)}</td><td class=\"num\">{Money(g.Amount, lang)}</td>");
            html.Append($"<td class=\"num\">{Money(g.Paid, lang)}</td><td class=\"num\">{Money(g.Balance, lang)}</td></tr>");
        }

        html.Append("</tbody></table></div>");
    }
}
