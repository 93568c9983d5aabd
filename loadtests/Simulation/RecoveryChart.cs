using System.Globalization;
using System.Text;

namespace Recouvrement.LoadTests.Simulation;

/// <summary>A variant's recovery curve (share of the amount recovered by day) as a small standalone SVG chart.</summary>
public static class RecoveryChart
{
    private const int Width = 640;
    private const int Height = 360;
    private const int Margin = 48;

    public static string Svg(string title, IReadOnlyList<decimal> byDay)
    {
        static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
        var days = Math.Max(1, byDay.Count - 1);
        var top = (double)Math.Max(0.1m, Math.Ceiling((byDay.Count > 0 ? byDay.Max() : 0m) * 10m) / 10m);
        double X(int day) => Margin + (Width - 2.0 * Margin) * day / days;
        double Y(double share) => Height - Margin - (Height - 2.0 * Margin) * share / top;

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Margin}\" y=\"24\" font-size=\"14\">{System.Security.SecurityElement.Escape(title)}: share of the amount recovered by day</text>");
        for (var tick = 0; tick <= 5; tick++)
        {
            var share = top * tick / 5;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Margin}\" x2=\"{Width - Margin}\" y1=\"{N(Y(share))}\" y2=\"{N(Y(share))}\" stroke=\"#ddd\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Margin - 6}\" y=\"{N(Y(share) + 4)}\" text-anchor=\"end\">{N(share * 100)} %</text>");
        }

        for (var day = 0; day <= days; day += Math.Max(1, days / 6))
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(X(day))}\" y=\"{Height - Margin + 18}\" text-anchor=\"middle\">D{day}</text>");
        }

        var points = string.Join(' ', byDay.Select((share, day) => $"{N(X(day))},{N(Y((double)share))}"));
        svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"#1f6feb\" stroke-width=\"2\" points=\"{points}\"/>");
        svg.Append("</svg>");
        return svg.ToString();
    }
}
