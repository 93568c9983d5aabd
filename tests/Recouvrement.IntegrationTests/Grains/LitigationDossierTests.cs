using System.Text.RegularExpressions;
using Recouvrement.Litigation;
using Recouvrement.Tests.Domain;
using Recouvrement.Tests.Support;
using UglyToad.PdfPig;
using static Recouvrement.Tests.Support.FakeClockCluster;

namespace Recouvrement.Tests.Grains;

/// <summary>A business claim from intake to escalation on the fake clock, then its dossier: every section, the same amounts in JSON and in the PDF.</summary>
public sealed partial class LitigationDossierTests : IAsyncLifetime
{
    private const string Creditor = "labo";
    private static readonly DateOnly DueOn = new(2026, 11, 3);
    private FakeClockCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await StartAsync(Paris(2026, 11, 3, 10));
        var creditor = _cluster.Grains.GetGrain<ICreditorGrain>(Creditor);
        Assert.True(await creditor.Onboard("Laboratoire des Lilas"));
        await creditor.SetSettings(new CreditorSettings(new PostalAddress("8 avenue Jean Jaurès", "69007", "Lyon", "FR"), RecoveryIndemnity: true, LateInterestRate: 10m));
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task An_escalated_business_claim_has_a_dossier_with_every_section_and_the_same_amounts_in_json_and_pdf()
    {
        var debtor = Drafts.Debtor("ACME", DebtorKind.Business, address: new PostalAddress("12 rue de la Paix", "75002", "Paris", "FR"));
        await _cluster.CreateCase(Creditor, Drafts.Case(amount: 7_000m, dueOn: DueOn, debtor: debtor));
        await _cluster.RunUntil(Paris(2026, 11, 13, 11));
        var paid = await _cluster.Case(Creditor, "FAC-1").RecordPayment(new PaymentReceipt("VIR-1", 1_000m, "EUR", new DateOnly(2026, 11, 13), "bank_transfer"));
        Assert.Equal(CaseActionOutcome.Applied, paid.Outcome);
        await _cluster.RunUntil(Paris(2026, 12, 11, 12));

        var view = (await _cluster.Case(Creditor, "FAC-1").Get())!;
        Assert.Equal(CaseStatus.Escalated, view.Status);

        // 6,000 EUR balance + 40 EUR indemnity + 60.82 EUR interest (10 % a year, 37 days) = 6,100.82; over 5,000: a payment order,
        // (6,100.82 − 120) × 0.40 = 2,392.33.
        var dossier = (await _cluster.Grains.GetGrain<IDossierGrain>(0).Get(Creditor, "FAC-1"))!;
        Assert.Equal(("Laboratoire des Lilas", "8 avenue Jean Jaurès, 69007 Lyon, FR"), (dossier.Creditor.Name, dossier.Creditor.Address));
        Assert.Equal(("ACME", "Marie Durand", "12 rue de la Paix, 75002 Paris, FR"), (dossier.Debtor.Reference, dossier.Debtor.Name, DossierAssembly.Line(dossier.Debtor.Address)));
        Assert.Equal(new DossierClaim("FAC-1", "Bilan lipidique et TSH du 04/10/2026", DueOn.AddDays(-30), DueOn, 7_000m, 1_000m, 6_000m, 60.82m, 40m, 6_100.82m, "EUR"), dossier.Claim);
        Assert.Equal("VIR-1", Assert.Single(dossier.Payments).PaymentReference);
        Assert.Equal(6, dossier.Contacts.Count);
        Assert.All(dossier.Contacts, c => Assert.Equal("sent", c.Status));
        var notice = dossier.FormalNotice!;
        Assert.Equal(dossier.Contacts.Single(c => c.Channel == Channel.Letter).MessageId, notice.LetterId);
        Assert.Equal(("registered", "25/11/2026 08:00"), (notice.Mode, Recouvrement.Documents.DocumentText.Date(notice.SentAt)));
        Assert.Equal(new DateOnly(2031, 11, 13), dossier.PrescriptionOn); // five years from the payment, an acknowledgement
        Assert.Equal((LitigationRoute.PaymentOrder, 2_392.33m), (dossier.Decision!.Route, dossier.Decision.ExpectedNet));
        Assert.Equal((LitigationRoute.PaymentOrder, LitigationStatus.Ready), (dossier.Litigation!.Route, dossier.Litigation.Status));
        var petition = dossier.Petition!;
        Assert.Equal(("Tribunal de commerce", 6_100.82m, 3), (petition.Court, petition.Total, petition.Documents.Count));
        Assert.Empty(dossier.Disputes.History);

        var pdf = (await _cluster.Grains.GetGrain<IDossierGrain>(0).Pdf(Creditor, "FAC-1"))!;
        using var document = PdfDocument.Open(pdf);
        var pages = document.GetPages().Select(p => Spaces().Replace(string.Join(' ', p.GetWords().Select(w => w.Text)), " ")).ToList();
        var text = string.Join(' ', pages);
        var at = -1;
        foreach (var section in DossierPdf.Sections.Append(DossierPdf.PetitionSection))
        {
            var next = text.IndexOf(section, StringComparison.Ordinal);
            Assert.True(next > at, $"section '{section}' is in the PDF, after the one before it");
            at = next;
        }

        Assert.Contains("Principal 7 000,00 € Déjà payé 1 000,00 € Solde 6 000,00 € Intérêts de retard 60,82 € Indemnité de recouvrement 40,00 € Total réclamé 6 100,82 €", text, StringComparison.Ordinal);
        Assert.Contains("VIR-1 bank_transfer -1 000,00 € Solde dû 6 000,00 €", text, StringComparison.Ordinal);
        Assert.Contains($"Lettre {notice.LetterId} Envoyée le 25/11/2026 08:00 Mode d'envoi lettre recommandée avec accusé de réception", text, StringComparison.Ordinal);
        Assert.Contains("Voie Injonction de payer (CPC 1405) Gain net attendu 2 392,33 €", text, StringComparison.Ordinal);
        Assert.Contains("Juridiction Tribunal de commerce du lieu du domicile du débiteur (75002 Paris)", text, StringComparison.Ordinal);
        Assert.Contains("Principal 6 000,00 € Intérêts 60,82 € Indemnité forfaitaire 40,00 € Somme demandée 6 100,82 €", text, StringComparison.Ordinal);
        Assert.Contains("Prescription acquise le 13/11/2031", text, StringComparison.Ordinal);

        // The formal notice itself follows, as the print provider received it.
        var letter = File.ReadAllBytes(Path.Combine(_cluster.OutboxFolder, "letters", Creditor, notice.LetterId + ".pdf"));
        using var sent = PdfDocument.Open(letter);
        Assert.Equal(sent.NumberOfPages, pages.Count(p => p.Contains("FAC-1", StringComparison.Ordinal) && !p.Contains("Dossier FAC-1", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Another_creditor_gets_no_dossier_for_the_same_reference()
    {
        await _cluster.CreateCase(Creditor, Drafts.Case(amount: 420m, dueOn: DueOn));
        Assert.NotNull(await _cluster.Grains.GetGrain<IDossierGrain>(0).Get(Creditor, "FAC-1"));
        Assert.Null(await _cluster.Grains.GetGrain<IDossierGrain>(0).Get("other", "FAC-1"));
        Assert.Null(await _cluster.Grains.GetGrain<IDossierGrain>(0).Pdf("other", "FAC-1"));
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
