using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Recouvrement.Channels;
using Recouvrement.Messaging;
using UglyToad.PdfPig;

namespace Recouvrement.Tests.Channels;

/// <summary>Formal notices rendered to PDF and read back: every mention CPCE R124-4 requires, and the right charges.</summary>
public sealed partial class LetterTests : IDisposable
{
    private static readonly AgencyOptions Agency = new() { Name = "Cabinet Recouvrement Lyonnais", Address = "12 quai Saint-Vincent, 69001 Lyon", Contact = "04 72 00 00 00" };
    private static readonly PostalAddress LabAddress = new("8 avenue Jean Jaurès", "69007", "Lyon", "FR");
    private static readonly DateTimeOffset Now = Calendar.ParisTime.At(new DateOnly(2026, 11, 25), new TimeOnly(8, 0));
    private readonly string _folder = Directory.CreateTempSubdirectory("recouvrement-letters-").FullName;

    private static MessageCase Case(DebtorKind kind, CreditorSettings settings) => Charges.For(
        new ContactRequest("FAC-2026-000123", 3, ContactKind.FormalNotice, [Channel.Letter, Channel.Email], 32.50m, "EUR", new DateOnly(2026, 10, 4),
            "Bilan lipidique", Now, new DateOnly(2026, 11, 3), 42.50m, 10m, Calendar.ParisTime.At(new DateOnly(2026, 11, 4), new TimeOnly(8, 10)),
            "msg_a1b2c3d4e5f60718293a4b5c6d7e8f90"),
        kind, settings, Calendar.ParisTime.DateOf(Now));

    private async Task<string> Render(DebtorKind kind, CreditorSettings settings)
    {
        var cases = new[] { Case(kind, settings) };
        const string id = "msg_00112233445566778899aabbccddeeff";
        var (subject, body) = MessageComposer.Compose(new MessageInput(
            id, Channel.Letter, ContactKind.FormalNotice, "Laboratoire des Lilas", LabAddress, cases, "https://pay.example.fr/p/tok", "fr", Agency, Now,
            settings.LateInterestRate));
        var message = new OutgoingMessage(id, "labo", "PAT-1", Channel.Letter, ContactKind.FormalNotice, "Marie Durand", subject, body,
            "https://pay.example.fr/p/tok", cases, Now)
        {
            Parties = new LetterParties("Marie Durand", kind, new PostalAddress("3 rue des Lilas", "69003", "Lyon", "FR"), "Laboratoire des Lilas", LabAddress),
        };
        var letters = new LetterOptions { Path = _folder };
        var channel = new LetterChannel(Options.Create(letters), Options.Create(Agency), new LetterPdf(letters));
        Assert.Equal(SendStatus.Sent, (await channel.SendAsync(message)).Status);
        Assert.True(File.Exists(Path.Combine(_folder, "labo", id + ".json")));

        using var pdf = PdfDocument.Open(Path.Combine(_folder, "labo", id + ".pdf"));
        var words = pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text);
        return Spaces().Replace(string.Join(' ', words), " ");
    }

    private static string Flat(string text) => Spaces().Replace(text, " ");

    [Fact]
    public async Task A_consumers_formal_notice_carries_every_mandatory_mention_and_no_fee()
    {
        var text = await Render(DebtorKind.Consumer, new CreditorSettings(LabAddress, RecoveryIndemnity: true, LateInterestRate: 12.15m));

        string[] mentions =
        [
            "MISE EN DEMEURE DE PAYER",
            "Cabinet Recouvrement Lyonnais, 12 quai Saint-Vincent, 69001 Lyon, exerce une activité de recouvrement amiable", // 1° the agency
            "pour le compte de Laboratoire des Lilas, 8 avenue Jean Jaurès, 69007 Lyon", // 2° the creditor
            "Fondement de la créance", "Facture du 04/10/2026, réf. FAC-2026-000123", // 3° basis and amount, split
            "Principal : 42,50 €", "Intérêts : 0,00 €", "Autres sommes : 0,00 €", "Déjà réglé : 10,00 €", "Total à régler : 32,50 €",
            "Nous vous mettons en demeure de régler cette somme sous huit jours", "https://pay.example.fr/p/tok", // 4° demand and how to pay
            Flat(LegalTexts.L111Paragraphs2And3), // 5° L111-8, second and third paragraphs
            "Premier courrier : R-A1B2C3D4 du 04/11/2026", "Notre référence : R-00112233", // the first letter's reference and date
            "Aucun frais de recouvrement ne vous est réclamé.",
            "Marie Durand", "3 rue des Lilas", "69003 Lyon",
        ];
        Assert.All(mentions, m => Assert.Contains(m, text, StringComparison.Ordinal));
        Assert.DoesNotContain("indemnité forfaitaire", text, StringComparison.Ordinal);
        Assert.DoesNotContain("lipidique", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_business_debtor_owes_the_indemnity_and_late_interest_only_when_the_creditor_enables_them()
    {
        var charged = await Render(DebtorKind.Business, new CreditorSettings(LabAddress, RecoveryIndemnity: true, LateInterestRate: 12.15m));
        // 32.50 € late 22 days at 12.15 % a year: 0.24 €.
        Assert.Contains("Intérêts : 0,24 € (intérêts de retard au taux annuel de 12,15 %)", charged, StringComparison.Ordinal);
        Assert.Contains("Autres sommes : 40,00 € (indemnité forfaitaire pour frais de recouvrement", charged, StringComparison.Ordinal);
        Assert.Contains("Total à régler : 72,74 €", charged, StringComparison.Ordinal);

        var plain = await Render(DebtorKind.Business, new CreditorSettings(LabAddress, RecoveryIndemnity: false, LateInterestRate: null));
        Assert.Contains("Total à régler : 32,50 €", plain, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
