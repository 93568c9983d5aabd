using System.Text.RegularExpressions;
using Recouvrement.Documents;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;

namespace Recouvrement.Tests.Documents;

/// <summary>The general document writer, read back with PdfPig: blocks in order, tables over pages, amounts aligned, pages numbered.</summary>
public sealed partial class DocumentPdfTests
{
    private static readonly DocumentColumn[] Columns = [new("Date", 1), new("Libellé", 3), new("Montant", 1.2, AlignRight: true)];

    private static string Text(Page page) => Spaces().Replace(string.Join(' ', page.GetWords().Select(w => w.Text)), " ");

    [Fact]
    public void Every_block_is_written_in_order_with_the_title_block_first()
    {
        var pdf = new DocumentPdf().Start("Dossier de contentieux", ["Créance FAC-2026-000123", "Établi le 10/12/2026"], footer: "FAC-2026-000123")
            .Heading("1. Le créancier")
            .KeyValues([("Nom", "Laboratoire des Lilas"), ("Adresse", "8 avenue Jean Jaurès, 69007 Lyon"), ("Téléphone", null)])
            .Heading("2. La créance")
            .Paragraph("Facture du 04/10/2026, échue le 03/11/2026.")
            .Table(Columns, [["04/10/2026", "Principal", DocumentText.Money(4900m)]], ["", "Total", DocumentText.Money(4900m)])
            .Build();

        using var document = PdfDocument.Open(pdf);
        var text = Text(document.GetPage(1));
        Assert.Equal("Dossier de contentieux", document.Information.Title);
        Assert.StartsWith("Dossier de contentieux Créance FAC-2026-000123 Établi le 10/12/2026 1. Le créancier Nom Laboratoire des Lilas", text, StringComparison.Ordinal);
        Assert.Contains("Adresse 8 avenue Jean Jaurès, 69007 Lyon Téléphone – 2. La créance Facture du 04/10/2026, échue le 03/11/2026.", text, StringComparison.Ordinal);
        Assert.Contains("Date Libellé Montant 04/10/2026 Principal 4 900,00 € Total 4 900,00 €", text, StringComparison.Ordinal);
        Assert.EndsWith("FAC-2026-000123 1 / 1", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_table_runs_over_pages_with_its_header_repeated_and_every_page_numbered()
    {
        var rows = Enumerable.Range(1, 120).Select(i => (IReadOnlyList<string?>)[$"{i:00}/11/2026", $"Paiement n° {i}", DocumentText.Money(i * 10.5m)]).ToList();
        var pdf = new DocumentPdf().Start("Relevé de compte").Table(Columns, rows, ["", "Total", DocumentText.Money(rows.Count * 121 / 2 * 10.5m)]).Build();

        using var document = PdfDocument.Open(pdf);
        Assert.True(document.NumberOfPages >= 3, $"120 rows take several pages, not {document.NumberOfPages}");
        foreach (var page in document.GetPages())
        {
            var text = Text(page);
            Assert.EndsWith($"{page.Number} / {document.NumberOfPages}", text, StringComparison.Ordinal);
            Assert.Contains("Date Libellé Montant", text, StringComparison.Ordinal);
        }

        var all = string.Join(' ', document.GetPages().Select(Text));
        Assert.Equal(120, PaymentLines().Count(all));
        Assert.Contains("Total 76 230,00 €", all, StringComparison.Ordinal);
    }

    [Fact]
    public void Amounts_in_a_right_aligned_column_end_at_the_same_place()
    {
        var pdf = new DocumentPdf().Start("Montants")
            .Table(Columns, [["01/11/2026", "Petit", DocumentText.Money(5m)], ["02/11/2026", "Grand", DocumentText.Money(12345.67m)]])
            .Build();

        using var document = PdfDocument.Open(pdf);
        var euros = document.GetPage(1).GetWords().Where(w => w.Text == "€").ToList();
        Assert.Equal(2, euros.Count);
        Assert.Equal(euros[0].BoundingBox.Right, euros[1].BoundingBox.Right, 1);
        var amounts = document.GetPage(1).GetWords().Where(w => w.Text is "5,00" or "345,67").ToList();
        Assert.Equal(2, amounts.Count);
        Assert.Equal(amounts[0].BoundingBox.Right, amounts[1].BoundingBox.Right, 1);
    }

    [Fact]
    public void An_annexed_pdf_follows_with_its_own_pages_and_is_numbered_with_the_rest()
    {
        var annex = new DocumentPdf().Start("Lettre annexée").Paragraph("Mise en demeure de payer").Build();
        var pdf = new DocumentPdf().Start("Dossier").Paragraph("Voir l'annexe.").PageBreak().Annex(annex).Build();

        using var document = PdfDocument.Open(pdf);
        Assert.Equal(2, document.NumberOfPages);
        Assert.Contains("Mise en demeure de payer", Text(document.GetPage(2)), StringComparison.Ordinal);
        Assert.Contains("2 / 2", Text(document.GetPage(2)), StringComparison.Ordinal);
        var number = document.GetPage(2).GetWords().Where(w => w.Text == "2").ToList();
        Assert.Equal(2, number.Count(w => w.BoundingBox.Bottom > 800)); // "2 / 2" at the top: the annex's own foot is left alone
    }

    [Fact]
    public void Without_a_unicode_font_the_text_is_kept_in_plain_letters()
    {
        var writer = DocumentPdf.WithoutUnicodeFont();
        Assert.False(writer.HasUnicodeFont);
        var pdf = writer.Start("Créance échue", footer: "Réf. « FAC-1 »").Table(Columns, [["04/10/2026", "Intérêts", DocumentText.Money(1234.5m)]]).Build();

        using var document = PdfDocument.Open(pdf);
        Assert.Equal("Creance echue Date Libelle Montant 04/10/2026 Interets 1 234,50 EUR Ref. \" FAC-1 \" 1 / 1", Text(document.GetPage(1)));
        Assert.True(new DocumentPdf().HasUnicodeFont, "the test machine has fonts-dejavu-core");
    }

    [Theory]
    [InlineData(0, "0,00 €")]
    [InlineData(42.5, "42,50 €")]
    [InlineData(4900, "4 900,00 €")]
    [InlineData(1234567.891, "1 234 567,89 €")]
    public void Amounts_are_written_the_french_way(decimal amount, string expected) => Assert.Equal(expected, DocumentText.Money(amount));

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"Paiement n° \d+ ")]
    private static partial Regex PaymentLines();
}
