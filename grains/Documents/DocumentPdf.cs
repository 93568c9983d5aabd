using System.Globalization;
using System.Text;
using Recouvrement.Calendar;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Recouvrement.Documents;

/// <summary>A column of a <see cref="DocumentWriter.Table"/>: its header, its share of the text width, and whether its cells align right (amounts).</summary>
public sealed record DocumentColumn(string Header, double Weight = 1, bool AlignRight = false);

/// <summary>
/// Writes business documents (a litigation dossier, a commission statement) as A4 PDF files: a title block, headings,
/// paragraphs, key/value blocks, tables whose amounts align right, page breaks, annexed PDF pages, and "page n / N" at
/// the foot of every page. Uses a TrueType font (DejaVu Sans by default, as letters do) so that every French character
/// prints; without one it falls back to Helvetica and plain letters (accents dropped, € spelled EUR). One instance
/// holds the fonts and is shared; each document is written by its own <see cref="DocumentWriter"/>.
/// </summary>
public sealed class DocumentPdf
{
    private static readonly string[] RegularCandidates = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"];
    private static readonly string[] BoldCandidates = ["/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"];
    private readonly byte[]? regular;
    private readonly byte[]? bold;

    /// <param name="fontPath">A TrueType font; null: DejaVu Sans where Debian installs it (<c>fonts-dejavu-core</c>).</param>
    /// <param name="boldFontPath">Its bold face; null: DejaVu Sans Bold, else the regular font.</param>
    public DocumentPdf(string? fontPath = null, string? boldFontPath = null)
    {
        regular = Load(fontPath, RegularCandidates);
        bold = Load(boldFontPath, BoldCandidates) ?? regular;
    }

    private DocumentPdf(byte[]? regular, byte[]? bold)
    {
        this.regular = regular;
        this.bold = bold;
    }

    /// <summary>A writer with Helvetica only, as on a machine without DejaVu: for tests of the fallback.</summary>
    internal static DocumentPdf WithoutUnicodeFont() => new(null, (byte[]?)null);

    /// <summary>Whether documents get a full Unicode font; otherwise accents are dropped.</summary>
    public bool HasUnicodeFont => regular is not null;

    /// <summary>Starts a document with its title block: the title, then each subtitle line. <paramref name="footer"/> is printed left of the page number on every page.</summary>
    public DocumentWriter Start(string title, IReadOnlyList<string>? subtitle = null, string? footer = null)
    {
        var writer = new DocumentWriter(regular, bold, footer);
        writer.TitleBlock(title, subtitle ?? []);
        return writer;
    }

    private static byte[]? Load(string? configured, string[] candidates) =>
        !string.IsNullOrEmpty(configured) ? File.ReadAllBytes(configured) : candidates.Where(File.Exists).Select(File.ReadAllBytes).FirstOrDefault();
}

/// <summary>How documents write amounts and dates: the French way (<c>1 234,56 €</c>, <c>25/11/2026</c>, Paris time).</summary>
public static class DocumentText
{
    private static readonly NumberFormatInfo Numbers = new() { NumberDecimalSeparator = ",", NumberGroupSeparator = " ", NumberGroupSizes = [3] };

    /// <summary>An amount with two decimals, a plain space between thousands, and its currency (€ for EUR).</summary>
    public static string Money(decimal amount, string currency = "EUR") =>
        amount.ToString("#,0.00", Numbers) + (currency == "EUR" ? " €" : " " + currency);

    /// <summary>A rate given as a fraction (0.5), in percent: <c>50 %</c>, <c>12,5 %</c>.</summary>
    public static string Percent(decimal fraction) => (fraction * 100m).ToString("0.##", Numbers) + " %";

    public static string Date(DateOnly day) => day.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    /// <summary>An instant as a Paris date and time.</summary>
    public static string Date(DateTimeOffset at) => ParisTime.ToParis(at).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);
}

/// <summary>
/// Writes one document from top to bottom; a block that does not fit goes to the next page (a table's header is repeated
/// there). <see cref="Build"/> numbers the pages and returns the PDF file; a writer given up before is disposed.
/// </summary>
public sealed class DocumentWriter : IDisposable
{
    private const double PageWidth = 595;
    private const double PageHeight = 842;
    private const double Margin = 56.7;
    private const double Bottom = Margin + 18;
    private const double TextWidth = PageWidth - (2 * Margin);
    private const double BodySize = 9.5;
    private const double Leading = 13;
    private const double HeadingSize = 12;
    private const double TitleSize = 16;
    private const double CellPadding = 4;

    private readonly PdfDocumentBuilder builder = new();
    private readonly PdfDocumentBuilder.AddedFont regular;
    private readonly PdfDocumentBuilder.AddedFont boldFont;
    private readonly bool plain;
    private readonly string? footer;
    private readonly List<PdfPageBuilder> pages = [];
    private readonly List<PdfDocument> annexes = [];
    private readonly HashSet<PdfPageBuilder> annexPages = [];
    private PdfPageBuilder page;
    private double y;

    /// <summary>The next block starts a new page (after a page break or an annex), which is added only once something is written.</summary>
    private bool pageWanted;

    internal DocumentWriter(byte[]? regularFont, byte[]? boldFontBytes, string? footer)
    {
        regular = regularFont is not null ? builder.AddTrueTypeFont(regularFont) : builder.AddStandard14Font(Standard14Font.Helvetica);
        boldFont = boldFontBytes is not null ? builder.AddTrueTypeFont(boldFontBytes) : builder.AddStandard14Font(Standard14Font.HelveticaBold);
        plain = regularFont is null;
        this.footer = footer;
        page = NewPage();
    }

    internal void TitleBlock(string title, IReadOnlyList<string> subtitle)
    {
        builder.DocumentInformation.Title = title;
        foreach (var line in Wrap(title, TextWidth, true, TitleSize))
        {
            Text(line, Margin, TitleSize, bold: true);
            y -= TitleSize * 1.3;
        }

        foreach (var line in subtitle.SelectMany(s => Wrap(s, TextWidth, false, BodySize)))
        {
            Text(line, Margin, BodySize, bold: false);
            y -= Leading;
        }

        y -= 4;
        page.DrawLine(new PdfPoint(Margin, y), new PdfPoint(PageWidth - Margin, y), 0.8);
        y -= Leading;
    }

    /// <summary>A section heading, in bold; never left alone at the foot of a page.</summary>
    public DocumentWriter Heading(string text)
    {
        var lines = Wrap(text, TextWidth, true, HeadingSize);
        Ensure(8 + (lines.Count * HeadingSize * 1.3) + (2 * Leading));
        y -= 8;
        foreach (var line in lines)
        {
            Text(line, Margin, HeadingSize, bold: true);
            y -= HeadingSize * 1.3;
        }

        y -= 2;
        return this;
    }

    /// <summary>A paragraph wrapped to the text width; line breaks in the text are kept.</summary>
    public DocumentWriter Paragraph(string text, bool bold = false)
    {
        foreach (var line in text.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n').SelectMany(l => l.Length == 0 ? [string.Empty] : Wrap(l, TextWidth, bold, BodySize)))
        {
            Ensure(Leading);
            Text(line, Margin, BodySize, bold);
            y -= Leading;
        }

        y -= Leading / 3;
        return this;
    }

    /// <summary>Pairs as two columns: the key in bold, its value wrapped beside it (a null or empty value prints as a dash).</summary>
    public DocumentWriter KeyValues(IEnumerable<(string Key, string? Value)> rows, double keyShare = 0.35)
    {
        var keyWidth = TextWidth * keyShare;
        foreach (var (key, value) in rows)
        {
            var keys = Wrap(key, keyWidth - CellPadding, true, BodySize);
            var values = Wrap(string.IsNullOrEmpty(value) ? "–" : value, TextWidth - keyWidth, false, BodySize);
            var lines = Math.Max(keys.Count, values.Count);
            Ensure(lines * Leading);
            for (var i = 0; i < lines; i++)
            {
                if (i < keys.Count)
                {
                    Text(keys[i], Margin, BodySize, bold: true);
                }

                if (i < values.Count)
                {
                    Text(values[i], Margin + keyWidth, BodySize, bold: false);
                }

                y -= Leading;
            }
        }

        y -= Leading / 3;
        return this;
    }

    /// <summary>
    /// A table: a bold header row, one row per item (cells wrapped within their column), and an optional bold total row.
    /// Cells of a right-aligned column (amounts) line up on their right edge. A row that does not fit starts a new page,
    /// where the header is written again.
    /// </summary>
    public DocumentWriter Table(IReadOnlyList<DocumentColumn> columns, IEnumerable<IReadOnlyList<string?>> rows, IReadOnlyList<string?>? total = null)
    {
        var weights = columns.Sum(c => c.Weight);
        var widths = columns.Select(c => TextWidth * c.Weight / weights).ToArray();
        var header = columns.Select(c => (string?)c.Header).ToList();
        Ensure(3 * Leading);
        Row(columns, widths, header, bold: true);
        page.DrawLine(new PdfPoint(Margin, y + Leading - 3), new PdfPoint(PageWidth - Margin, y + Leading - 3), 0.5);
        var any = false;
        foreach (var row in rows)
        {
            any = true;
            if (!Fits(columns, widths, row, bold: false))
            {
                NewPage();
                Row(columns, widths, header, bold: true);
                page.DrawLine(new PdfPoint(Margin, y + Leading - 3), new PdfPoint(PageWidth - Margin, y + Leading - 3), 0.5);
            }

            Row(columns, widths, row, bold: false);
        }

        if (!any)
        {
            Ensure(Leading);
            Text("(aucune ligne)", Margin + CellPadding, BodySize, bold: false);
            y -= Leading;
        }

        if (total is not null)
        {
            Ensure(Leading * 2);
            page.DrawLine(new PdfPoint(Margin, y + Leading - 3), new PdfPoint(PageWidth - Margin, y + Leading - 3), 0.5);
            Row(columns, widths, total, bold: true);
        }

        y -= Leading / 2;
        return this;
    }

    /// <summary>Goes on at the top of a new page.</summary>
    public DocumentWriter PageBreak()
    {
        pageWanted = true;
        return this;
    }

    /// <summary>Adds every page of another PDF file (an annex, such as a letter sent), after what is written so far; writing goes on on a new page.</summary>
    public DocumentWriter Annex(byte[] pdf)
    {
        var annex = PdfDocument.Open(pdf);
        annexes.Add(annex);
        for (var number = 1; number <= annex.NumberOfPages; number++)
        {
            var added = builder.AddPage(annex, number);
            pages.Add(added);
            annexPages.Add(added);
        }

        pageWanted = true;
        return this;
    }

    /// <summary>Numbers the pages (<c>n / N</c>, with the footer beside) and returns the PDF file; the writer cannot be used after.</summary>
    public byte[] Build()
    {
        for (var i = 0; i < pages.Count; i++)
        {
            var number = string.Create(CultureInfo.InvariantCulture, $"{i + 1} / {pages.Count}");
            var size = 7.5;
            var width = Measure(number, false, size);

            // An annexed page keeps its own foot (a letter may number itself): the dossier's number goes at its top.
            var annexed = annexPages.Contains(pages[i]);
            pages[i].AddText(Printable(number), size, new PdfPoint(PageWidth - Margin - width, annexed ? PageHeight - (Margin / 2) : Margin / 2), regular);
            if (footer is not null && !annexed)
            {
                pages[i].AddText(Printable(Fit(footer, TextWidth - width - 20, size)), size, new PdfPoint(Margin, Margin / 2), regular);
            }
        }

        try
        {
            return builder.Build();
        }
        finally
        {
            Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var annex in annexes)
        {
            annex.Dispose();
        }

        annexes.Clear();
        builder.Dispose();
    }

    private bool Fits(IReadOnlyList<DocumentColumn> columns, double[] widths, IReadOnlyList<string?> row, bool bold) =>
        !pageWanted && y - (Lines(columns, widths, row, bold) * Leading) >= Bottom;

    private int Lines(IReadOnlyList<DocumentColumn> columns, double[] widths, IReadOnlyList<string?> row, bool bold) =>
        columns.Select((_, i) => Wrap(i < row.Count ? row[i] ?? string.Empty : string.Empty, widths[i] - (2 * CellPadding), bold, BodySize).Count).DefaultIfEmpty(1).Max();

    private void Row(IReadOnlyList<DocumentColumn> columns, double[] widths, IReadOnlyList<string?> row, bool bold)
    {
        var cells = columns.Select((_, i) => Wrap(i < row.Count ? row[i] ?? string.Empty : string.Empty, widths[i] - (2 * CellPadding), bold, BodySize)).ToList();
        var lines = cells.Max(c => c.Count);
        Ensure(lines * Leading);
        for (var line = 0; line < lines; line++)
        {
            var x = Margin;
            for (var i = 0; i < columns.Count; i++)
            {
                if (line < cells[i].Count && cells[i][line].Length > 0)
                {
                    var text = cells[i][line];
                    var at = columns[i].AlignRight ? x + widths[i] - CellPadding - Measure(text, bold, BodySize) : x + CellPadding;
                    Text(text, at, BodySize, bold);
                }

                x += widths[i];
            }

            y -= Leading;
        }
    }

    private void Ensure(double height)
    {
        if (pageWanted || y - height < Bottom)
        {
            NewPage();
        }
    }

    private PdfPageBuilder NewPage()
    {
        page = builder.AddPage(PageSize.A4);
        pages.Add(page);
        pageWanted = false;
        y = PageHeight - Margin;
        return page;
    }

    private void Text(string text, double x, double size, bool bold)
    {
        var printable = Printable(text);
        if (printable.Length > 0)
        {
            page.AddText(printable, size, new PdfPoint(x, y), bold ? boldFont : regular);
        }
    }

    private double Measure(string text, bool bold, double size)
    {
        var letters = page.MeasureText(Printable(text), size, new PdfPoint(0, 0), bold ? boldFont : regular);
        return letters.Count == 0 ? 0 : letters[^1].EndBaseLine.X - letters[0].StartBaseLine.X;
    }

    /// <summary>The text cut to its width with an ellipsis, for a single line.</summary>
    private string Fit(string text, double width, double size)
    {
        if (Measure(text, false, size) <= width)
        {
            return text;
        }

        var cut = text;
        while (cut.Length > 1 && Measure(cut + "...", false, size) > width)
        {
            cut = cut[..^1];
        }

        return cut + "...";
    }

    /// <summary>The text broken into lines no wider than <paramref name="width"/>; a word longer than a line is cut.</summary>
    private List<string> Wrap(string text, double width, bool bold, double size)
    {
        var lines = new List<string>();
        var current = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = current.Length == 0 ? word : $"{current} {word}";
            if (Measure(candidate, bold, size) <= width)
            {
                current.Clear().Append(candidate);
                continue;
            }

            if (current.Length > 0)
            {
                lines.Add(current.ToString());
                current.Clear();
            }

            var rest = word;
            while (Measure(rest, bold, size) > width && rest.Length > 1)
            {
                var take = rest.Length - 1;
                while (take > 1 && Measure(rest[..take], bold, size) > width)
                {
                    take--;
                }

                lines.Add(rest[..take]);
                rest = rest[take..];
            }

            current.Append(rest);
        }

        if (current.Length > 0 || lines.Count == 0)
        {
            lines.Add(current.ToString());
        }

        return lines;
    }

    private string Printable(string text) => plain ? Ascii(text) : text;

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
            else if (c is '«' or '»' or '’' or '–' or '—')
            {
                result.Append(c switch { '’' => '\'', '–' or '—' => '-', _ => '"' });
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                result.Append(c is '\u00A0' or '\u202F' ? ' ' : '?');
            }
        }

        return result.ToString();
    }
}
