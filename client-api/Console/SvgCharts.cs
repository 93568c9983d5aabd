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
    public static string Bars(string title, IReadOnlyList<(string Label, decimal Value)> bars, Func<decimal, string> format, string id = "chart")
    {
        const int width = 640, height = 220, left = 8, bottom = 24, top = 12;
        var max = bars.Count == 0 ? 0m : bars.Max(b => b.Value);
        var slot = bars.Count == 0 ? 0 : (double)(width - 2 * left) / bars.Count;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.Append($"<title id=\"{id}-title\">{ConsoleHtml.E(title)}</title>");
        svg.Append($"<desc id=\"{id}-desc\">{ConsoleHtml.E(string.Join("; ", bars.Where(b => b.Value != 0).Select(b => $"{b.Label}: {format(b.Value)}")))}</desc>");
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

    /// <summary>The colours of the series and bars: each above 4.5:1 on white.</summary>
    private static readonly string[] Palette = ["#1d3a8a", "#b45309", "#2f6b3c", "#8a1c1c", "#5b21b6", "#0f5f6e"];

    /// <summary>
    /// Horizontal bars, one per row, each with its label above it and its value written beside it: long labels and
    /// values stay readable on a phone (the drawing is 360 wide, about the width of one, and drawn 480 wide at most).
    /// </summary>
    public static string HorizontalBars(string id, string title, IReadOnlyList<(string Label, decimal Value, string Text)> rows)
    {
        const int width = 360, row = 44, top = 8, left = 4, textRoom = 130;
        var height = top * 2 + Math.Max(1, rows.Count) * row;
        var max = rows.Count == 0 ? 0m : rows.Max(r => r.Value);
        var svg = Open(id, width, height, title, rows.Count == 0 ? "–" : string.Join("; ", rows.Select(r => $"{r.Label}: {r.Text}")));
        for (var i = 0; i < rows.Count; i++)
        {
            var (label, value, text) = rows[i];
            var y = top + i * row;
            var w = max <= 0 ? 0 : (double)(value / max) * (width - left - textRoom);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"{y + 14}\" font-size=\"13\" fill=\"#1a1a1a\">{ConsoleHtml.E(label)}</text>");
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect x=\"{left}\" y=\"{y + 20}\" width=\"{Math.Max(w, value > 0 ? 2 : 0):0.##}\" height=\"16\" fill=\"{Palette[0]}\"><title>{ConsoleHtml.E(label)}: {ConsoleHtml.E(text)}</title></rect>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + w + 6:0.##}\" y=\"{y + 33}\" font-size=\"13\" fill=\"#1a1a1a\">{ConsoleHtml.E(text)}</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>
    /// Lines of shares (0 to 1) over days, one per series, on a scale from 0 to the highest share (at least 10 %); a
    /// dot with its value at each point, the legend under the drawing.
    /// </summary>
    public static string Curves(string id, string title, IReadOnlyList<int> days, IReadOnlyList<(string Name, IReadOnlyList<decimal?> Shares)> series, Func<decimal, string> percent, Func<int, string> dayLabel)
    {
        const int width = 360, plotTop = 12, plotHeight = 170, left = 48, right = 14, legendRow = 20;
        var bottom = plotTop + plotHeight;
        var height = bottom + 28 + series.Count * legendRow + 8;
        var top = Math.Max(0.1m, series.SelectMany(s => s.Shares).Select(v => v ?? 0m).DefaultIfEmpty().Max());
        var lastDay = days.Count == 0 ? 1 : days[^1];
        double X(int day) => left + (double)day / lastDay * (width - left - right);
        double Y(decimal share) => bottom - (double)(share / top) * plotHeight;
        var desc = string.Join("; ", series.Select(s => $"{s.Name}: " + string.Join(", ", days.Zip(s.Shares).Where(p => p.Second is not null).Select(p => $"{dayLabel(p.First)} {percent(p.Second!.Value)}"))));
        var svg = Open(id, width, height, title, series.Count == 0 ? "–" : desc);
        foreach (var tick in new[] { 0m, top / 2, top })
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{Y(tick):0.##}\" x2=\"{width - right}\" y2=\"{Y(tick):0.##}\" stroke=\"#c8ccd2\" stroke-width=\"1\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 4}\" y=\"{Y(tick) + 4:0.##}\" font-size=\"12\" text-anchor=\"end\" fill=\"#1a1a1a\">{ConsoleHtml.E(percent(tick))}</text>");
        }

        foreach (var day in days)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(day):0.##}\" y=\"{bottom + 18}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#1a1a1a\">{ConsoleHtml.E(dayLabel(day))}</text>");
        }

        for (var i = 0; i < series.Count; i++)
        {
            var (name, shares) = series[i];
            var colour = Palette[i % Palette.Length];
            var points = days.Zip(shares).Where(p => p.Second is not null).Select(p => (Day: p.First, Share: p.Second!.Value)).ToList();
            if (points.Count > 1)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2.5\" points=\"{string.Join(' ', points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{X(p.Day):0.##},{Y(p.Share):0.##}")))}\"/>");
            }

            foreach (var (day, share) in points)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(day):0.##}\" cy=\"{Y(share):0.##}\" r=\"4\" fill=\"{colour}\"><title>{ConsoleHtml.E(name)}, {ConsoleHtml.E(dayLabel(day))}: {ConsoleHtml.E(percent(share))}</title></circle>");
            }

            var legendY = bottom + 28 + i * legendRow;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{legendY + 10}\" x2=\"{left + 24}\" y2=\"{legendY + 10}\" stroke=\"{colour}\" stroke-width=\"3\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + 30}\" y=\"{legendY + 14}\" font-size=\"13\" fill=\"#1a1a1a\">{ConsoleHtml.E(name)}</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    private static StringBuilder Open(string id, int width, int height, string title, string description)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg id=\"{id}\" width=\"480\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.Append($"<title id=\"{id}-title\">{ConsoleHtml.E(title)}</title><desc id=\"{id}-desc\">{ConsoleHtml.E(description)}</desc>");
        return svg;
    }
}
