using Recouvrement.Cases;
using Recouvrement.Creditors;
using Recouvrement.Debtors;

namespace Recouvrement.Litigation;

/// <summary>
/// The litigation dossier of one case: everything a commissaire de justice or a court needs, in the order they read it.
/// The same content is served as JSON and as PDF (<c>GET /api/v1/cases/{reference}/dossier</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("rc.Dossier")]
public sealed record Dossier(
    [property: Id(0)] string Reference,
    [property: Id(1)] DateTimeOffset GeneratedAt,
    [property: Id(2)] DossierParty Creditor,
    [property: Id(3)] DossierParty Agency,
    [property: Id(4)] DossierDebtor Debtor,
    [property: Id(5)] DossierClaim Claim,
    [property: Id(6)] IReadOnlyList<PaymentReceipt> Payments,
    [property: Id(7)] IReadOnlyList<DossierContact> Contacts,
    [property: Id(8)] DossierNotice? FormalNotice,
    [property: Id(9)] DossierDisputes Disputes,
    [property: Id(10)] DossierPlans Plans,
    [property: Id(11)] DateOnly PrescriptionOn,
    [property: Id(12)] LitigationDecision? Decision,
    [property: Id(13)] CaseLitigation? Litigation,
    [property: Id(14)] PaymentOrderPetition? Petition,
    [property: Id(15)] CaseStatus Status);

/// <summary>A party by name and address (the creditor, the agency).</summary>
[GenerateSerializer, Immutable, Alias("rc.DossierParty")]
public sealed record DossierParty(
    [property: Id(0)] string Name,
    [property: Id(1)] string? Address,
    [property: Id(2)] string? Contact = null);

/// <summary>The debtor's identity and last known address (their own correction, else what the creditor fed).</summary>
[GenerateSerializer, Immutable, Alias("rc.DossierDebtor")]
public sealed record DossierDebtor(
    [property: Id(0)] string Reference,
    [property: Id(1)] DebtorKind Kind,
    [property: Id(2)] string Name,
    [property: Id(3)] PostalAddress? Address,
    [property: Id(4)] string? Email,
    [property: Id(5)] string? Phone);

/// <summary>The claim: the invoice, what was paid, and what a business debtor owes on top.</summary>
[GenerateSerializer, Immutable, Alias("rc.DossierClaim")]
public sealed record DossierClaim(
    [property: Id(0)] string InvoiceReference,
    [property: Id(1)] string? Label,
    [property: Id(2)] DateOnly IssuedOn,
    [property: Id(3)] DateOnly DueOn,
    [property: Id(4)] decimal Principal,
    [property: Id(5)] decimal Paid,
    [property: Id(6)] decimal Balance,
    [property: Id(7)] decimal Interest,
    [property: Id(8)] decimal Indemnity,
    [property: Id(9)] decimal Total,
    [property: Id(10)] string Currency);

/// <summary>One message that named the case: its channel, date, provider id and what became of it.</summary>
[GenerateSerializer, Immutable, Alias("rc.DossierContact")]
public sealed record DossierContact(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] Channel Channel,
    [property: Id(2)] string MessageId,
    [property: Id(3)] string? ProviderId,
    [property: Id(4)] string Status,
    [property: Id(5)] string? Detail);

/// <summary>The formal notice: the letter, when it went, how it was sent and its tracking reference; <see cref="Pdf"/> is where to get it.</summary>
[GenerateSerializer, Immutable, Alias("rc.DossierNotice")]
public sealed record DossierNotice(
    [property: Id(0)] string LetterId,
    [property: Id(1)] DateTimeOffset SentAt,
    [property: Id(2)] string Pdf,
    [property: Id(3)] string? Mode = null,
    [property: Id(4)] string? TrackingReference = null);

/// <summary>The dispute, if any, and every step of it in the case's history (opened, upheld, rejected with the answer).</summary>
[GenerateSerializer, Immutable, Alias("rc.DossierDisputes")]
public sealed record DossierDisputes(
    [property: Id(0)] Dispute? Current,
    [property: Id(1)] IReadOnlyList<CaseEvent> History);

/// <summary>The plan, if any, and every step of plans in the case's history (proposed, agreed, missed, ended).</summary>
[GenerateSerializer, Immutable, Alias("rc.DossierPlans")]
public sealed record DossierPlans(
    [property: Id(0)] PaymentPlan? Current,
    [property: Id(1)] IReadOnlyList<CaseEvent> History);

/// <summary>
/// The fields of a requête en injonction de payer (CPC 1407) filled in: the court, the parties, the amount and its
/// breakdown, the basis of the claim, and the documents attached.
/// </summary>
[GenerateSerializer, Immutable, Alias("rc.PaymentOrderPetition")]
public sealed record PaymentOrderPetition(
    [property: Id(0)] string Court,
    [property: Id(1)] string CourtLocation,
    [property: Id(2)] string Applicant,
    [property: Id(3)] string? ApplicantAddress,
    [property: Id(4)] string Respondent,
    [property: Id(5)] string? RespondentAddress,
    [property: Id(6)] decimal Principal,
    [property: Id(7)] decimal Interest,
    [property: Id(8)] decimal Indemnity,
    [property: Id(9)] decimal Total,
    [property: Id(10)] string Currency,
    [property: Id(11)] string Basis,
    [property: Id(12)] IReadOnlyList<string> Documents);

/// <summary>Builds litigation dossiers; stateless, any silo serves it.</summary>
public interface IDossierGrain : IGrainWithIntegerKey
{
    /// <summary>The dossier of the creditor's case, or null when it has no such case.</summary>
    Task<Dossier?> Get(string creditorId, string reference);

    /// <summary>The dossier as a PDF file, the formal notice letter annexed; null when the creditor has no such case.</summary>
    Task<byte[]?> Pdf(string creditorId, string reference);
}
