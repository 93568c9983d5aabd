using Recouvrement.Calendar;
using Recouvrement.Documents;
using Recouvrement.Messaging;

namespace Recouvrement.Litigation;

/// <summary>What a dossier is built from, as the grains and the letter folder hold it.</summary>
public sealed record DossierSources(
    CaseRecord Record,
    DebtorView? Debtor,
    string CreditorName,
    CreditorSettings Settings,
    AgencyOptions Agency,
    DossierNotice? FormalNotice,
    DateTimeOffset Now);

/// <summary>Puts a dossier together from its sources: a pure function, so that every section is tested without a silo.</summary>
public static class DossierAssembly
{
    public static Dossier Build(DossierSources sources, IReadOnlyList<DossierContact> contacts)
    {
        var record = sources.Record;
        var view = record.Case;
        var fed = record.Debtor;

        // The debtor's own correction of their address is newer than what the creditor fed.
        var debtor = new DossierDebtor(fed.Reference, fed.Kind, sources.Debtor?.Name ?? fed.Name, sources.Debtor?.Address ?? fed.Address, fed.Email, fed.Phone);
        var (indemnity, interest) = view.Decision is { } decided
            ? (decided.Indemnity, decided.Interest)
            : LitigationEconomics.Extras(new LitigationClaim(view.Balance, view.Currency, fed.Kind, view.DueOn, ParisTime.DateOf(sources.Now), 0m), sources.Settings);
        var claim = new DossierClaim(view.Reference, view.Label, view.IssuedOn, view.DueOn, view.Amount, view.Paid, view.Balance, interest, indemnity,
            view.Balance + interest + indemnity, view.Currency);
        var creditor = new DossierParty(sources.CreditorName, Line(sources.Settings.Address));
        var agency = new DossierParty(sources.Agency.Name, sources.Agency.Address, sources.Agency.Contact);
        var disputes = new DossierDisputes(view.Dispute, [.. view.History.Where(e => e.Kind.StartsWith("dispute", StringComparison.Ordinal))]);
        var plans = new DossierPlans(view.Plan, [.. view.History.Where(e => e.Kind.StartsWith("plan_", StringComparison.Ordinal) || e.Kind == "instalment_due")]);
        var prescription = view.PrescriptionOn ?? Prescription.On(view.DueOn, fed.Kind);
        var route = view.Litigation?.Route ?? view.Decision?.Route;
        var petition = route == LitigationRoute.PaymentOrder ? Petition(creditor, debtor, claim, sources.FormalNotice) : null;
        return new Dossier(view.Reference, sources.Now, creditor, agency, debtor, claim, record.Payments, contacts, sources.FormalNotice, disputes, plans,
            prescription, view.Decision, view.Litigation, petition, view.Status);
    }

    /// <summary>
    /// The requête en injonction de payer filled in (CPC 1405 ff.): before the tribunal de commerce when the debtor is a
    /// business, the tribunal judiciaire otherwise, of the place where the debtor lives (CPC 1406).
    /// </summary>
    public static PaymentOrderPetition Petition(DossierParty creditor, DossierDebtor debtor, DossierClaim claim, DossierNotice? notice)
    {
        var court = debtor.Kind == DebtorKind.Business ? "Tribunal de commerce" : "Tribunal judiciaire";
        var place = debtor.Address is { } a ? $"{a.PostalCode} {a.City}" : "à déterminer : adresse du débiteur inconnue";
        var documents = new List<string> { $"Facture {claim.InvoiceReference} du {DocumentText.Date(claim.IssuedOn)}", "Relevé de compte" };
        if (notice is not null)
        {
            documents.Add($"Mise en demeure {LegalTexts.Reference(notice.LetterId)} du {DocumentText.Date(notice.SentAt)}");
        }

        var basis = $"Facture {claim.InvoiceReference} du {DocumentText.Date(claim.IssuedOn)}"
            + (claim.Label is { Length: > 0 } label ? $" ({label})" : string.Empty)
            + $", échue le {DocumentText.Date(claim.DueOn)} et restée impayée à hauteur de {DocumentText.Money(claim.Balance, claim.Currency)}";
        return new PaymentOrderPetition(court, $"{court} du lieu du domicile du débiteur ({place})", creditor.Name, creditor.Address, debtor.Name,
            Line(debtor.Address), claim.Balance, claim.Interest, claim.Indemnity, claim.Total, claim.Currency, basis, documents);
    }

    public static string? Line(PostalAddress? address) => address is { } a ? $"{a.Line1}, {a.PostalCode} {a.City}, {a.Country}" : null;
}
