using System.Globalization;
using System.Text;
using Recouvrement.Messaging;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Recouvrement.Channels;

/// <summary>
/// Lays a letter out on A4 pages: the agency's block top left, the debtor's address where a window envelope
/// shows it, then the text, wrapped, with headings in bold. Uses a TrueType font (DejaVu Sans by default) so
/// every French character prints; without one it falls back to Helvetica and plain letters.
/// </summary>
public sealed class LetterPdf
{
    private const double Margin = 56.7;
    private const double Size = 10;
    private const double Leading = 13.5;
    private static readonly string[] RegularCandidates = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"];
    private static readonly string[] BoldCandidates = ["/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"];
    private readonly byte[]? _regular;
    private readonly byte[]? _bold;

    public LetterPdf(LetterOptions options)
    {
        _regular = Load(options.FontPath, RegularCandidates);
        _bold = Load(options.BoldFontPath, BoldCandidates) ?? _regular;
    }

    /// <summary>Whether letters get a full Unicode font; otherwise accents are dropped.</summary>
    public bool HasUnicodeFont => _regular is not null;

    private static byte[]? Load(string? configured, string[] candidates)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            return File.ReadAllBytes(configured);
        }

        return candidates.Where(File.Exists).Select(File.ReadAllBytes).FirstOrDefault();
    }

    public byte[] Render(OutgoingMessage message, AgencyOptions agency)
    {
        var builder = new PdfDocumentBuilder();
        var regular = _regular is not null ? builder.AddTrueTypeFont(_regular) : builder.AddStandard14Font(Standard14Font.Helvetica);
        var bold = _bold is not null ? builder.AddTrueTypeFont(_bold) : builder.AddStandard14Font(Standard14Font.HelveticaBold);
        var writer = new PageWriter(builder, regular, bold, _regular is null);

        writer.Line(agency.Name, bold: true);
        foreach (var part in agency.Address.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            writer.Line(part);
        }

        if (message.Parties is { } parties)
        {
            // A French window envelope (DL, window on the right) shows the address about 11 cm from the left
            // edge and 5 cm from the top.
            writer.MoveTo(x: 311, y: 842 - 142);
            writer.Line(parties.DebtorName, bold: true);
            writer.Line(parties.DebtorAddress.Line1);
            writer.Line($"{parties.DebtorAddress.PostalCode} {parties.DebtorAddress.City}");
            if (!string.Equals(parties.DebtorAddress.Country, "FR", StringComparison.OrdinalIgnoreCase))
            {
                writer.Line(new RegionInfo(parties.DebtorAddress.Country).EnglishName.ToUpperInvariant());
            }
        }

        writer.MoveTo(x: Margin, y: 842 - 260);
        foreach (var raw in message.Body.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var heading = line.StartsWith(MessageComposer.Heading, StringComparison.Ordinal);
            writer.Paragraph(heading ? line[MessageComposer.Heading.Length..] : line, heading);
        }

        return builder.Build();
    }

    private sealed class PageWriter(PdfDocumentBuilder builder, PdfDocumentBuilder.AddedFont regular, PdfDocumentBuilder.AddedFont boldFont, bool plain)
    {
        private PdfPageBuilder _page = builder.AddPage(PageSize.A4);
        private double _x = Margin;
        private double _y = 842 - Margin;
        private int _pages = 1;

        public void MoveTo(double x, double y)
        {
            _x = x;
            _y = Math.Min(_y, y);
        }

        public void Line(string text, bool bold = false)
        {
            if (_y < Margin + Leading)
            {
                NewPage();
            }

            var printable = Printable(text);
            if (printable.Length > 0)
            {
                _page.AddText(printable, Size, new PdfPoint(_x, _y), bold ? boldFont : regular);
            }

            _y -= Leading;
        }

        /// <summary>Writes a paragraph wrapped to the text width, keeping its leading indentation.</summary>
        public void Paragraph(string text, bool heading)
        {
            if (text.Length == 0)
            {
                _y -= Leading / 2;
                return;
            }

            var indent = text.Length - text.TrimStart(' ').Length;
            var prefix = new string(' ', indent);
            var width = 595 - Margin - _x;
            var current = new StringBuilder(prefix);
            foreach (var word in text.TrimStart(' ').Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = current.Length == prefix.Length ? prefix + word : $"{current} {word}";
                if (current.Length > prefix.Length && Width(candidate, heading) > width)
                {
                    Line(current.ToString(), heading);
                    current.Clear().Append(prefix).Append(word);
                }
                else
                {
                    current.Clear().Append(candidate);
                }
            }

            Line(current.ToString(), heading);
        }

        private double Width(string text, bool heading)
        {
            var letters = _page.MeasureText(Printable(text), Size, new PdfPoint(0, 0), heading ? boldFont : regular);
            return letters.Count == 0 ? 0 : letters[^1].EndBaseLine.X - letters[0].StartBaseLine.X;
        }

        private string Printable(string text) => plain ? Ascii(text) : text;

        private void NewPage()
        {
            _page = builder.AddPage(PageSize.A4);
            _pages++;
            _x = Margin;
            _y = 842 - Margin;
            _page.AddText(string.Create(CultureInfo.InvariantCulture, $"- {_pages} -"), 8, new PdfPoint(595 / 2.0 - 10, Margin / 2), regular);
        }

        /// <summary>Helvetica in PdfPig's writer only knows plain ASCII: accents are dropped, € spelled out.</summary>
        private static string Ascii(string text)
        {
            var result = new StringBuilder(text.Length);
            foreach (var c in text.Replace("€", "EUR", StringComparison.Ordinal).Normalize(NormalizationForm.FormD))
            {
                if (c < 128)
                {
                    result.Append(c);
                }
                else if (c is '«' or '»' or '’' or '–')
                {
                    result.Append(c switch { '’' => '\'', '–' => '-', _ => '"' });
                }
                else if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
                {
                    result.Append(c == '\u00A0' || c == '\u202F' ? ' ' : '?');
                }
            }

            return result.ToString();
        }
    }
}
