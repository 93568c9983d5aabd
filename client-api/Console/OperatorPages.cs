using System.Text;
using Microsoft.Extensions.Options;
using Recouvrement.Api.DebtorPages;
using Recouvrement.Api.Statements;
using Recouvrement.Users;
using static Recouvrement.Api.Console.ConsoleHtml;

namespace Recouvrement.Api.Console;

/// <summary>
/// <c>/console/operator</c>: the operator's console: every creditor with its commission rate, its users, its live API
/// keys, its headline figures from the report counters (open cases, outstanding, recovery rate) and this month's
/// recovered amount and commission.
/// </summary>
public static class OperatorPages
{
    public static async Task<IResult> Home(
        HttpContext context, IGrainFactory grains, IPaymentRecords payments, Reports.IReportCounters counters, IOptions<AgencyInfo> agency,
        [FromKeyedServices(EngineClock.Key)] TimeProvider time)
    {
        var request = ConsoleRequest.Of(context);
        var T = request.T;
        var lang = request.Language;
        var today = Calendar.ParisTime.DateOf(time.GetUtcNow());
        var month = new DateOnly(today.Year, today.Month, 1);
        var html = new StringBuilder($"<h1>{T("Créanciers", "Creditors")}</h1><div class=\"table-wrap\"><table><thead><tr>" +
            $"<th scope=\"col\">{T("Créancier", "Creditor")}</th><th scope=\"col\" class=\"num\">{T("Commission", "Commission rate")}</th>" +
            $"<th scope=\"col\">{T("Utilisateurs", "Users")}</th><th scope=\"col\">{T("Clés d'API actives", "Live API keys")}</th>" +
            $"<th scope=\"col\" class=\"num\">{T("Dossiers ouverts", "Open cases")}</th><th scope=\"col\" class=\"num\">{T("Encours", "Outstanding")}</th>" +
            $"<th scope=\"col\" class=\"num\">{T("Taux de recouvrement", "Recovery rate")}</th><th scope=\"col\" class=\"num\">{T("Recouvré ce mois-ci", "Recovered this month")}</th>" +
            $"<th scope=\"col\" class=\"num\">{T("Commission du mois", "Commission this month")}</th></tr></thead><tbody>");
        foreach (var id in await grains.Reference<ICreditorDirectoryGrain>(ICreditorDirectoryGrain.SingletonKey).List())
        {
            if (await grains.Reference<ICreditorGrain>(id).GetProfile() is not { } profile)
            {
                continue;
            }

            var users = await grains.Reference<ICreditorUsersGrain>(id).List();
            var statement = await StatementsApi.BuildAsync(grains, payments, agency.Value, id, month, context.RequestAborted);
            var euros = statement.Totals.FirstOrDefault(t => t.Currency == "EUR");
            var keys = (await grains.Reference<Recouvrement.Access.ICreditorKeysGrain>(id).List()).Where(k => k.RevokedAt is null).ToList();
            var portfolio = (await Reports.ReportsApi.SummaryAsync(counters, id, Reports.ReportsApi.DefaultCurrency, today, month, today, context.RequestAborted)).Portfolio;
            html.Append($"<tr><td>{E(profile.Name)} <span class=\"muted\">({E(id)})</span></td><td class=\"num\">{profile.CommissionRate.ToString("0.##", Culture(lang))} %</td>" +
                $"<td>{E(string.Join(", ", users.Select(u => $"{u.Email} ({RoleName(u.Role, T)}{(u.Status == UserStatus.Invited ? ", " + T("invité", "invited") : string.Empty)})")))}</td>" +
                $"<td>{keys.Count}{(keys.Count == 0 ? string.Empty : $" <span class=\"muted\">({E(string.Join(", ", keys.Select(k => k.Id)))})</span>")}</td>" +
                $"<td class=\"num\">{portfolio.OpenCases}</td><td class=\"num\">{Money(portfolio.Outstanding, lang)}</td>" +
                $"<td class=\"num\">{(portfolio.RecoveryRate.Amount * 100).ToString("0.#", Culture(lang))} %</td>" +
                $"<td class=\"num\">{Money(euros?.Collected ?? 0m, lang)}</td><td class=\"num\">{Money(euros?.Commission ?? 0m, lang)}</td></tr>");
        }

        html.Append("</tbody></table></div>");
        html.Append($"<p class=\"muted\">{T("Invitations, clés et taux : API d'administration (/api/v1/admin).", "Invitations, keys and rates: the admin API (/api/v1/admin).")}</p>");
        return Html(Page(request, T("Créanciers", "Creditors"), "operator", html.ToString()));
    }
}
