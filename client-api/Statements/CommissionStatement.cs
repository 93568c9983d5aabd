using System.Globalization;
using System.Text.Json;
using Recouvrement.Calendar;

namespace Recouvrement.Api.Statements;

/// <summary>A payment as the event log recorded it, read back for a statement.</summary>
public sealed record PaymentRecord(
    string EventId, DateTimeOffset RecordedAt, string CaseReference, string DebtorReference, decimal Amount, string Currency,
    string Method, DateOnly ReceivedOn, bool ByAgency)
{
    /// <summary>Reads a <c>case.payment_received</c> event; null for any other event.</summary>
    public static PaymentRecord? Of(EngineEvent e)
    {
        if (e.Type != EventTypes.PaymentReceived || e.CaseReference is null)
        {
            return null;
        }

        using var data = JsonDocument.Parse(e.Data);
        var root = data.RootElement;
        string Text(string name, string fallback) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : fallback;
        return new PaymentRecord(
            e.Id, e.OccurredAt, e.CaseReference, e.DebtorReference, root.GetProperty("amount").GetDecimal(), Text("currency", "EUR"),
            Text("method", "bank_transfer"),
            DateOnly.TryParseExact(Text("receivedOn", string.Empty), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var on) ? on : ParisTime.DateOf(e.OccurredAt),
            Text("collectedBy", "creditor") == "agency");
    }
}

/// <summary>One payment of a statement and the commission on it, at the rate in force when it was recorded.</summary>
/// <param name="CollectedBy"><c>agency</c> (paid on the payment page: the agency holds the money) or <c>creditor</c> (reported by the creditor, who holds it).</param>
public sealed record StatementLine(
    DateTimeOffset RecordedAt, DateOnly ReceivedOn, string CaseReference, string DebtorReference, decimal Amount, string Currency,
    string Method, string CollectedBy, decimal CommissionRate, decimal Commission);

/// <summary>
/// A statement's totals in one currency: the sums of its lines, and what settles the month. The agency holds what it
/// collected and is owed the commission on everything: <c>netToCreditor</c> = collected by the agency − commission.
/// Positive, the agency remits it to the creditor (<c>settlement</c> <c>remit</c>); negative, it invoices the creditor
/// for the difference (<c>invoice</c>, <c>settlementAmount</c> the amount due).
/// </summary>
public sealed record StatementTotals(
    string Currency, int Payments, decimal Collected, decimal CollectedByAgency, decimal ReportedByCreditor, decimal Commission,
    decimal NetToCreditor, string Settlement, decimal SettlementAmount);

/// <summary>The agency's commission statement for one creditor and one calendar month (Europe/Paris).</summary>
public sealed record CommissionStatement(
    string CreditorId, string CreditorName, string Period, DateOnly From, DateOnly To, string AgencyName, string AgencyAddress,
    IReadOnlyList<StatementLine> Lines, IReadOnlyList<StatementTotals> Totals)
{
    /// <summary>
    /// The statement of <paramref name="payments"/> (those recorded in the month; a payment seen twice counts once). Each
    /// commission is rounded to the cent (half away from zero) on its line; the totals are the sums of the lines.
    /// </summary>
    public static CommissionStatement Build(
        string creditorId, string creditorName, DateOnly month, IEnumerable<PaymentRecord> payments, IReadOnlyList<CommissionRate>? rates,
        string agencyName, string agencyAddress)
    {
        var lines = payments
            .DistinctBy(p => p.EventId)
            .OrderBy(p => p.RecordedAt).ThenBy(p => p.CaseReference, StringComparer.Ordinal)
            .Select(p =>
            {
                var rate = CommissionRates.At(rates, p.RecordedAt);
                return new StatementLine(p.RecordedAt, p.ReceivedOn, p.CaseReference, p.DebtorReference, p.Amount, p.Currency, p.Method,
                    p.ByAgency ? "agency" : "creditor", rate, Commission(p.Amount, rate));
            })
            .ToList();
        var totals = lines.GroupBy(l => l.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var byAgency = g.Where(l => l.CollectedBy == "agency").Sum(l => l.Amount);
            var commission = g.Sum(l => l.Commission);
            var net = byAgency - commission;
            return new StatementTotals(g.Key, g.Count(), g.Sum(l => l.Amount), byAgency, g.Where(l => l.CollectedBy != "agency").Sum(l => l.Amount),
                commission, net, net >= 0 ? "remit" : "invoice", Math.Abs(net));
        }).ToList();
        var first = new DateOnly(month.Year, month.Month, 1);
        return new CommissionStatement(creditorId, creditorName, first.ToString("yyyy-MM", CultureInfo.InvariantCulture), first, first.AddMonths(1).AddDays(-1),
            agencyName, agencyAddress, lines, totals);
    }

    /// <summary>The commission on an amount at a rate in percent, to the cent, half away from zero.</summary>
    public static decimal Commission(decimal amount, decimal percent) => Math.Round(amount * percent / 100m, 2, MidpointRounding.AwayFromZero);

    /// <summary>The instants a month starts and ends in Paris (its payments are those recorded in between).</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Bounds(DateOnly month)
    {
        var first = new DateOnly(month.Year, month.Month, 1);
        return (ParisTime.StartOfDay(first), ParisTime.StartOfDay(first.AddMonths(1)));
    }
}
