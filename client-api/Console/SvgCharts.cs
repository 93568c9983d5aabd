using System.Globalization;
using System.Text;

namespace Recouvrement.Api.Console;

/// <summary>
/// Charts drawn on the server as inline SVG: no script, no image request, readable by a screen reader (a title and a
/// description name the chart; every bar carries its value in a title).
/// </summary>
public static class SvgCharts
{
    /// <summary>A bar per label, scaled to the largest value; <paramref name="format"/> writes a value for people.</summary>
    public static string Bars(string title, IReadOnlyList<(string Label, decimal Value)> bars, Func<decimal, string> format)
    {
        const int width = 640, height = 220, left = 8, bottom = 24, top = 12;
        var max = bars.Count == 0 ? 0m : bars.Max(b => b.Value);
        var slot = bars.Count == 0 ? 0 : (double)(width - 2 * left) / bars.Count;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"chart-title chart-desc\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.Append($"<title id=\"chart-title\">{ConsoleHtml.E(title)}</title>");
        svg.Append($"<desc id=\"chart-desc\">{ConsoleHtml.E(string.Join("; ", bars.Where(b => b.Value != 0).Select(b => $"{b.Label}: {format(b.Value)}")))}</desc>");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{height - bottom}\" x2=\"{width - left}\" y2=\"{height - bottom}\" stroke=\"#3d4350\" stroke-width=\"1\"/>");
        for (var i = 0; i < bars.Count; i++)
        {
            var (label, value) = bars[i];
            var h = max <= 0 ? 0 : (double)(value / max) * (height - bottom - top);
            var x = left + i * slot;
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect x=\"{x + slot * 0.15:0.##}\" y=\"{height - bottom - h:0.##}\" width=\"{slot * 0.7:0.##}\" height=\"{h:0.##}\" fill=\"#1d3a8a\"><title>{ConsoleHtml.E(label)}: {ConsoleHtml.E(format(value))}</title></rect>");
            if (bars.Count <= 12 || i % 5 == 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + slot / 2:0.##}\" y=\"{height - 8}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#1a1a1a\">{ConsoleHtml.E(label)}</text>");
            }
        }

        return svg.Append("</svg>").ToString();
    }
}
