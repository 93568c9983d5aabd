using System.Globalization;
using System.Text;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Recouvrement.Api.Statements;

/// <summary>
/// A commission statement as an A4 PDF, laid out as the letters are (PdfPig's writer, DejaVu Sans where Debian installs
/// it, the same font settings): the agency top left, the creditor top right, the period, one row per payment with its
/// commission, then the totals and how the month settles. Without a TrueType font it prints plain letters in Helvetica.
/// </summary>
public sealed class StatementPdf
{
    private const double Margin = 42;
    private const double Top = 842 - Margin;
    private const double Size = 8;
    private const double Leading = 11;
    private static readonly string[] RegularCandidates = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"];
    private static readonly string[] BoldCandidates = ["/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"];

    // Columns: left edges (text) or right edges (amounts), in points.
    private static readonly (string Fr, string En, double X, bool Right)[] Columns =
    [
        ("Date", "Date", Margin, false),
        ("Dossier", "Case", Margin + 52, false),
        ("Débiteur", "Debtor", Margin + 160, false),
        ("Moyen", "Method", Margin + 252, false),
        ("Encaissé par", "Collected by", Margin + 318, false),
        ("Montant", "Amount", Margin + 430, true),
        ("Taux", "Rate", Margin + 462, true),
        ("Commission", "Commission", 595 - Margin, true),
    ];

    private readonly byte[]? regular;
    private readonly byte[]? bold;

    public StatementPdf(string? fontPath, string? boldFontPath)
    {
        regular = Load(fontPath, RegularCandidates);
        bold = Load(boldFontPath, BoldCandidates) ?? regular;
    }

    private static byte[]? Load(string? configured, string[] candidates) =>
        !string.IsNullOrEmpty(configured) ? File.ReadAllBytes(configured) : candidates.Where(File.Exists).Select(File.ReadAllBytes).FirstOrDefault();

    public byte[] Render(CommissionStatement statement, string language)
    {
        string T(string fr, string en) => language == "en" ? en : fr;
        var culture = CultureInfo.GetCultureInfo(language == "en" ? "en-GB" : "fr-FR");
        string Money(decimal amount, string currency) => amount.ToString("N2", culture) + " " + (currency == "EUR" ? "€" : currency);

        var builder = new PdfDocumentBuilder();
        var font = regular is not null ? builder.AddTrueTypeFont(regular) : builder.AddStandard14Font(Standard14Font.Helvetica);
        var heavy = bold is not null ? builder.AddTrueTypeFont(bold) : builder.AddStandard14Font(Standard14Font.HelveticaBold);
        var page = builder.AddPage(PageSize.A4);
        var pages = 1;
        var y = Top;

        void Text(string text, double x, double at, bool strong = false, double size = Size, bool right = false)
        {
            var printable = regular is null ? Ascii(text) : text;
            if (printable.Length == 0)
            {
                return;
            }

            var left = x;
            if (right)
            {
                var letters = page.MeasureText(printable, size, new PdfPoint(0, 0), strong ? heavy : font);
                left = x - (letters.Count == 0 ? 0 : letters[^1].EndBaseLine.X - letters[0].StartBaseLine.X);
            }

            page.AddText(printable, size, new PdfPoint(left, at), strong ? heavy : font);
        }

        void Header()
        {
            foreach (var (fr, en, x, right) in Columns)
            {
                Text(T(fr, en), x, y, strong: true, right: right);
            }

            y -= Leading;
        }

        Text(statement.AgencyName, Margin, y, strong: true, size: 11);
        Text(T("Créancier", "Creditor"), 330, y, strong: true);
        y -= 14;
        var agencyLines = statement.AgencyAddress.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Text($"{statement.CreditorName} ({statement.CreditorId})", 330, y);
        foreach (var line in agencyLines)
        {
            Text(line, Margin, y);
            y -= Leading;
        }

        y = Math.Min(y, Top - 14 - Leading) - 24;
        Text(T("Relevé de commissions", "Commission statement") + " – " + statement.Period, Margin, y, strong: true, size: 14);
        y -= 18;
        Text(T($"Paiements enregistrés du {statement.From:dd/MM/yyyy} au {statement.To:dd/MM/yyyy} (heure de Paris)",
            $"Payments recorded from {statement.From:dd/MM/yyyy} to {statement.To:dd/MM/yyyy} (Paris time)"), Margin, y, size: 9);
        y -= 24;
        Header();
        foreach (var line in statement.Lines)
        {
            if (y < Margin + 3 * Leading)
            {
                page = builder.AddPage(PageSize.A4);
                pages++;
                Text(string.Create(CultureInfo.InvariantCulture, $"- {pages} -"), 595 / 2.0 - 10, Margin / 2, size: 7);
                y = Top;
                Header();
            }

            var cells = new[]
            {
                Calendar.ParisTime.DateOf(line.RecordedAt).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture),
                Clip(line.CaseReference, 20), Clip(line.DebtorReference, 17), Clip(line.Method, 12),
                line.CollectedBy == "agency" ? T("l'agence", "the agency") : T("le créancier", "the creditor"),
                Money(line.Amount, line.Currency), line.CommissionRate.ToString("0.##", culture) + " %", Money(line.Commission, line.Currency),
            };
            for (var i = 0; i < Columns.Length; i++)
            {
                Text(cells[i], Columns[i].X, y, right: Columns[i].Right);
            }

            y -= Leading;
        }

        if (statement.Lines.Count == 0)
        {
            Text(T("Aucun paiement enregistré sur la période.", "No payment recorded in the period."), Margin, y);
            y -= Leading;
        }

        foreach (var total in statement.Totals)
        {
            if (y < Margin + 8 * Leading)
            {
                page = builder.AddPage(PageSize.A4);
                pages++;
                y = Top;
            }

            y -= Leading;
            var rows = new (string Label, decimal Amount, bool Strong)[]
            {
                (T($"Paiements ({total.Payments})", $"Payments ({total.Payments})"), total.Collected, false),
                (T("dont encaissés par l'agence", "of which collected by the agency"), total.CollectedByAgency, false),
                (T("dont déclarés par le créancier", "of which reported by the creditor"), total.ReportedByCreditor, false),
                (T("Commission", "Commission"), total.Commission, true),
                (total.Settlement == "remit" ? T("Net reversé au créancier", "Net remitted to the creditor") : T("Net facturé au créancier", "Net invoiced to the creditor"),
                    total.SettlementAmount, true),
            };
            foreach (var (label, amount, strong) in rows)
            {
                Text(label, Columns[4].X, y, strong);
                Text(Money(amount, total.Currency), 595 - Margin, y, strong, right: true);
                y -= Leading;
            }
        }

        return builder.Build();
    }

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    /// <summary>Helvetica in PdfPig's writer only knows plain ASCII: accents are dropped, € spelled out.</summary>
    private static string Ascii(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (var c in text.Replace("€", "EUR", StringComparison.Ordinal).Replace("…", "...", StringComparison.Ordinal).Normalize(NormalizationForm.FormD))
        {
            if (c < 128)
            {
                result.Append(c);
            }
            else if (c is '’' or '–' or '\u00A0' or '\u202F')
            {
                result.Append(c switch { '’' => '\'', '–' => '-', _ => ' ' });
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                result.Append('?');
            }
        }

        return result.ToString();
    }
}
