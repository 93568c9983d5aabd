using System.Xml.Linq;
using Recouvrement.Api.Console;
using Recouvrement.Api.Reports;

namespace Recouvrement.Tests.Console;

/// <summary>The overview's charts: well-formed SVG with a title and a description, with data and without any.</summary>
public sealed class OverviewChartsTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static XElement Parse(string svg)
    {
        var root = XElement.Parse(svg);
        Assert.Equal("img", (string?)root.Attribute("role"));
        Assert.False(string.IsNullOrWhiteSpace(root.Element(Svg + "title")?.Value));
        Assert.False(string.IsNullOrWhiteSpace(root.Element(Svg + "desc")?.Value));
        return root;
    }

    [Fact]
    public void A_creditor_without_cases_gets_empty_charts_and_a_report_of_zeros()
    {
        var summary = PortfolioReports.Summary("EUR", new(2026, 12, 1), new(2026, 12, 1), new(2026, 12, 1), []);
        Assert.Equal((0L, 0m, 0m, (double?)null), (summary.Portfolio.Cases, summary.Portfolio.RecoveryRate.Amount, summary.Period.Recovered, summary.Period.MedianDaysToPay));
        Assert.Equal(0, Assert.Single(summary.Portfolio.Funnel).Reached);
        Assert.Empty(PortfolioReports.Cohorts("EUR", new(2026, 12, 1), []).Cohorts);

        Assert.Empty(Parse(SvgCharts.Curves("c", "Courbes", [7, 14, 30, 60, 90], [], s => s.ToString(), d => $"J{d}")).Elements(Svg + "circle"));
        Assert.Empty(Parse(SvgCharts.HorizontalBars("b", "Canaux", [])).Elements(Svg + "rect"));
    }

    [Fact]
    public void A_curve_has_a_dot_per_known_point_with_its_value_and_the_bars_their_values()
    {
        var curves = Parse(SvgCharts.Curves("c", "Courbes", [7, 14, 30], [("2026-10", [0.5m, 0.6m, null]), ("2026-11", [0.1m, null, null])],
            s => $"{s * 100:0} %", d => $"J{d}"));
        Assert.Equal(["2026-10, J7: 50 %", "2026-10, J14: 60 %", "2026-11, J7: 10 %"], curves.Elements(Svg + "circle").Select(c => c.Element(Svg + "title")!.Value));
        Assert.Single(curves.Elements(Svg + "polyline"));

        var bars = Parse(SvgCharts.HorizontalBars("b", "Canaux", [("SMS", 30m, "30,00 €"), ("E-mail", 10m, "10,00 €")]));
        Assert.Equal(["SMS: 30,00 €", "E-mail: 10,00 €"], bars.Elements(Svg + "rect").Select(r => r.Element(Svg + "title")!.Value));
        Assert.Equal(["226", "75.33"], bars.Elements(Svg + "rect").Select(r => (string)r.Attribute("width")!));
    }
}
