using System.Globalization;
using Recouvrement.Documents;

namespace Recouvrement.Litigation;

/// <summary>
/// The dossier as a PDF file, in French, in the order a commissaire de justice or a court reads it: the parties, the
/// claim, the statement of account, every contact, the formal notice, disputes, plans, prescription, the chosen route
/// with its figures, the court petition for a payment order, and the formal notice itself annexed.
/// </summary>
public static class DossierPdf
{
    /// <summary>The section headings, in order; a test reads them back.</summary>
    public static readonly IReadOnlyList<string> Sections =
    [
        "1. Créancier et mandataire", "2. Débiteur", "3. Créance", "4. Relevé de compte", "5. Relances et contacts", "6. Mise en demeure",
        "7. Contestations", "8. Échéanciers", "9. Prescription", "10. Voie choisie",
    ];

    public const string PetitionSection = "11. Requête en injonction de payer";

    public static byte[] Write(DocumentPdf documents, Dossier d, byte[]? formalNotice)
    {
        var c = d.Claim;
        string Money(decimal amount) => DocumentText.Money(amount, c.Currency);
        using var writer = documents.Start("Dossier de contentieux", [$"Créance {d.Reference}", $"Établi le {DocumentText.Date(d.GeneratedAt)}"], footer: $"Dossier {d.Reference}");

        writer.Heading(Sections[0]).KeyValues([
            ("Créancier", d.Creditor.Name), ("Adresse du créancier", d.Creditor.Address),
            ("Mandataire (agence de recouvrement)", d.Agency.Name), ("Adresse du mandataire", d.Agency.Address), ("Contact", d.Agency.Contact),
        ]);
        writer.Heading(Sections[1]).KeyValues([
            ("Référence", d.Debtor.Reference), ("Nom", d.Debtor.Name), ("Qualité", d.Debtor.Kind == DebtorKind.Business ? "professionnel" : "consommateur"),
            ("Dernière adresse connue", DossierAssembly.Line(d.Debtor.Address)), ("Courriel", d.Debtor.Email), ("Téléphone", d.Debtor.Phone),
        ]);
        writer.Heading(Sections[2]).KeyValues([
            ("Facture", c.InvoiceReference), ("Objet", c.Label), ("Émise le", DocumentText.Date(c.IssuedOn)), ("Échue le", DocumentText.Date(c.DueOn)),
            ("Principal", Money(c.Principal)), ("Déjà payé", Money(c.Paid)), ("Solde", Money(c.Balance)),
            ("Intérêts de retard", Money(c.Interest)), ("Indemnité de recouvrement", Money(c.Indemnity)), ("Total réclamé", Money(c.Total)),
        ]);

        DocumentColumn[] payments = [new("Date", 1), new("Référence", 2), new("Moyen", 1.3), new("Montant", 1.2, AlignRight: true)];
        writer.Heading(Sections[3]).Table(payments,
            [
                [DocumentText.Date(c.IssuedOn), $"Facture {c.InvoiceReference}", string.Empty, Money(c.Principal)],
                .. d.Payments.Select(p => (IReadOnlyList<string?>)[DocumentText.Date(p.ReceivedOn), p.PaymentReference, p.Method, "-" + Money(p.Amount)]),
            ],
            [string.Empty, "Solde dû", string.Empty, Money(c.Balance)]);

        DocumentColumn[] contacts = [new("Date", 1.3), new("Canal", 0.8), new("Message", 2.2), new("Prestataire", 2), new("Statut", 1)];
        writer.Heading(Sections[4]).Table(contacts,
            d.Contacts.Select(m => (IReadOnlyList<string?>)[DocumentText.Date(m.At), Channel(m.Channel), m.MessageId, m.ProviderId, m.Status]));

        writer.Heading(Sections[5]);
        if (d.FormalNotice is { } notice)
        {
            writer.KeyValues([
                ("Lettre", notice.LetterId), ("Envoyée le", DocumentText.Date(notice.SentAt)), ("Mode d'envoi", Mode(notice.Mode)),
                ("Numéro de suivi", notice.TrackingReference), ("Pièce", formalNotice is null ? "lettre introuvable dans le dossier d'impression" : "jointe en annexe"),
            ]);
        }
        else
        {
            writer.Paragraph("Aucune mise en demeure envoyée par courrier.");
        }

        writer.Heading(Sections[6]);
        if (d.Disputes.Current is { } dispute)
        {
            writer.KeyValues([("Motif", dispute.Reason), ("Message du débiteur", dispute.Message), ("Ouverte le", DocumentText.Date(dispute.OpenedAt))]);
        }

        History(writer, d.Disputes.History, "Aucune contestation.");

        writer.Heading(Sections[7]);
        if (d.Plans.Current is { } plan)
        {
            writer.Table([new("Échéance", 1), new("Date", 1), new("Montant", 1, AlignRight: true)],
                plan.Instalments.Select(i => (IReadOnlyList<string?>)[i.Number.ToString(CultureInfo.InvariantCulture), DocumentText.Date(i.DueOn), Money(i.Amount)]));
        }

        History(writer, d.Plans.History, "Aucun échéancier.");

        writer.Heading(Sections[8]).KeyValues([("Prescription acquise le", DocumentText.Date(d.PrescriptionOn))]);

        writer.Heading(Sections[9]);
        if (d.Decision is { } decision)
        {
            writer.KeyValues([
                ("Voie", Route(d.Litigation?.Route ?? decision.Route)), ("Gain net attendu", Money(decision.ExpectedNet)), ("Motif", decision.Reason),
                ("Décidé le", DocumentText.Date(decision.DecidedAt)), ("Statut", d.Litigation is { } l ? Status(l.Status) : null),
            ]);
            writer.Table(
                [new("Voie", 1.6), new("Coût", 1, AlignRight: true), new("Délai (jours)", 1, AlignRight: true), new("Taux", 0.8, AlignRight: true), new("Net attendu", 1.2, AlignRight: true)],
                decision.Alternatives.Select(a => (IReadOnlyList<string?>)[
                    Route(a.Route) + (a.Eligible ? string.Empty : " (exclue)"), Money(a.Cost), a.ExpectedDelayDays.ToString(CultureInfo.InvariantCulture),
                    DocumentText.Percent(a.RecoveryRate), Money(a.ExpectedNet)]));
        }
        else
        {
            writer.Paragraph("Aucune décision encore prise.");
        }

        if (d.Petition is { } p)
        {
            writer.Heading(PetitionSection).KeyValues([
                ("Juridiction", p.CourtLocation), ("Demandeur", p.Applicant), ("Adresse du demandeur", p.ApplicantAddress),
                ("Défendeur", p.Respondent), ("Adresse du défendeur", p.RespondentAddress), ("Principal", Money(p.Principal)),
                ("Intérêts", Money(p.Interest)), ("Indemnité forfaitaire", Money(p.Indemnity)), ("Somme demandée", Money(p.Total)),
                ("Fondement de la créance", p.Basis), ("Pièces jointes", string.Join(" ; ", p.Documents)),
            ]);
        }

        if (formalNotice is not null)
        {
            writer.PageBreak().Annex(formalNotice);
        }

        return writer.Build();
    }

    private static void History(DocumentWriter writer, IReadOnlyList<CaseEvent> events, string none)
    {
        if (events.Count == 0)
        {
            writer.Paragraph(none);
            return;
        }

        writer.Table([new("Date", 1), new("Étape", 1.2), new("Détail", 3)], events.Select(e => (IReadOnlyList<string?>)[DocumentText.Date(e.At), e.Kind, e.Detail]));
    }

    public static string Route(LitigationRoute route) => route switch
    {
        LitigationRoute.SmallClaims => "Petites créances (CPCE L125-1)",
        LitigationRoute.PaymentOrder => "Injonction de payer (CPC 1405)",
        _ => "Abandon de créance",
    };

    private static string Channel(Channel channel) => channel switch
    {
        Debtors.Channel.Email => "courriel",
        Debtors.Channel.Sms => "SMS",
        _ => "courrier",
    };

    private static string Mode(string? mode) => mode switch
    {
        "registered" => "lettre recommandée avec accusé de réception",
        "electronic_registered" => "lettre recommandée électronique",
        "simple" => "lettre simple",
        _ => "non précisé",
    };

    private static string Status(LitigationStatus status) => status switch
    {
        LitigationStatus.AwaitingApproval => "en attente d'approbation du créancier",
        LitigationStatus.Ready => "prêt à transmettre",
        LitigationStatus.HandedOver => "transmis",
        _ => "clos",
    };
}
