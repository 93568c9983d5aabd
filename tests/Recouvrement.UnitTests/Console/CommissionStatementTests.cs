using System.Text;
using Recouvrement.Api.Statements;
using UglyToad.PdfPig;

namespace Recouvrement.Tests.Console;

/// <summary>The commission statement: each line's commission to the cent, totals that are the sums of the lines, the net that settles the month.</summary>
public sealed class CommissionStatementTests
{
    private static readonly DateOnly November = new(2026, 11, 1);

    private static PaymentRecord Payment(string id, string at, decimal amount, bool byAgency, string method = "bank_transfer") =>
        new(id, DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture), "FAC-" + id, "PAT-" + id, amount, "EUR", method,
            DateOnly.FromDateTime(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime), byAgency);

    private static CommissionStatement Build(IReadOnlyList<CommissionRate>? rates, params PaymentRecord[] payments) =>
        CommissionStatement.Build("lab", "Laboratoire", November, payments, rates, "Agence Test", "1 rue de la Paix, 75002 Paris");

    [Fact]
    public void Each_line_is_charged_to_the_cent_and_the_totals_are_the_sums_of_the_lines()
    {
        var statement = Build([new CommissionRate(DateTimeOffset.MinValue, 12.5m)],
            Payment("1", "2026-11-03T10:00:00Z", 42.50m, byAgency: true, "card"),
            Payment("2", "2026-11-04T10:00:00Z", 15.10m, byAgency: false),
            Payment("3", "2026-11-05T10:00:00Z", 0.04m, byAgency: true, "card"));

        Assert.Equal([5.31m, 1.89m, 0.01m], statement.Lines.Select(l => l.Commission));
        var totals = Assert.Single(statement.Totals);
        Assert.Equal(3, totals.Payments);
        Assert.Equal(57.64m, totals.Collected);
        Assert.Equal(42.54m, totals.CollectedByAgency);
        Assert.Equal(15.10m, totals.ReportedByCreditor);
        Assert.Equal(7.21m, totals.Commission);
        Assert.Equal(statement.Lines.Sum(l => l.Commission), totals.Commission);
        Assert.Equal(35.33m, totals.NetToCreditor);
        Assert.Equal(("remit", 35.33m), (totals.Settlement, totals.SettlementAmount));
    }

    [Fact]
    public void Payments_the_creditor_reported_alone_leave_the_commission_to_invoice()
    {
        var statement = Build([new CommissionRate(DateTimeOffset.MinValue, 10m)], Payment("1", "2026-11-03T10:00:00Z", 80m, byAgency: false));

        var totals = Assert.Single(statement.Totals);
        Assert.Equal((-8m, "invoice", 8m), (totals.NetToCreditor, totals.Settlement, totals.SettlementAmount));
    }

    [Fact]
    public void A_rate_changed_mid_month_charges_each_payment_the_rate_in_force_when_it_was_recorded_and_a_payment_seen_twice_counts_once()
    {
        var change = DateTimeOffset.Parse("2026-11-15T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var rates = CommissionRates.With(CommissionRates.With(null, 10m, DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture)), 20m, change);
        var before = Payment("1", "2026-11-14T23:59:59Z", 50m, byAgency: true);
        var statement = Build(rates, before, Payment("2", "2026-11-15T00:00:00Z", 50m, byAgency: true), before);

        Assert.Equal([(10m, 5m), (20m, 10m)], statement.Lines.Select(l => (l.CommissionRate, l.Commission)));
        Assert.Equal(15m, Assert.Single(statement.Totals).Commission);
    }

    [Fact]
    public void A_month_is_bounded_by_midnight_in_Paris()
    {
        var (from, to) = CommissionStatement.Bounds(November);

        Assert.Equal(DateTimeOffset.Parse("2026-10-31T23:00:00Z", System.Globalization.CultureInfo.InvariantCulture), from);
        Assert.Equal(DateTimeOffset.Parse("2026-11-30T23:00:00Z", System.Globalization.CultureInfo.InvariantCulture), to);
        Assert.Null(StatementsApi.ParseMonth("2026-13"));
        Assert.Null(StatementsApi.ParseMonth("2026-1"));
        Assert.Equal(November, StatementsApi.ParseMonth("2026-11"));
    }

    [Fact]
    public void The_csv_has_a_row_per_payment_and_a_total_row_with_decimal_commas_and_formula_safe_cells()
    {
        var payment = Payment("1", "2026-11-03T10:00:00Z", 42.50m, byAgency: true, "=cmd");
        var csv = Encoding.UTF8.GetString(StatementsApi.Csv(Build([new CommissionRate(DateTimeOffset.MinValue, 12.5m)], payment)));

        var rows = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, rows.Length);
        Assert.Equal("2026-11-03;2026-11-03;FAC-1;PAT-1;'=cmd;agency;42,50;EUR;12,50;5,31;", rows[1]);
        Assert.Equal("total;;;;;;42,50;EUR;;5,31;37,19", rows[2]);
    }

    [Fact]
    public void The_pdf_names_the_agency_the_creditor_the_period_and_prints_every_line_and_the_totals()
    {
        var statement = Build([new CommissionRate(DateTimeOffset.MinValue, 12.5m)],
            [.. Enumerable.Range(1, 90).Select(i => Payment(i.ToString(System.Globalization.CultureInfo.InvariantCulture), "2026-11-03T10:00:00Z", 10m, byAgency: i % 2 == 0))]);

        using var pdf = PdfDocument.Open(new StatementPdf(null, null).Render(statement, "fr"));
        var text = string.Join("\n", pdf.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))));
        Assert.True(pdf.NumberOfPages >= 2, "ninety lines take more than one page");
        Assert.Contains("Agence Test", text);
        Assert.Contains("Laboratoire", text);
        Assert.Contains("2026-11", text);
        Assert.Contains("FAC-90", text);
        Assert.Contains("900,00", text);
        Assert.Contains("112,50", text);
        Assert.Contains("337,50", text);
    }
}
