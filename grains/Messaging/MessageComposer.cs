using System.Globalization;
using System.Text;

namespace Recouvrement.Messaging;

/// <summary>Everything a message's text depends on.</summary>
public sealed record MessageInput(
    string MessageId,
    Channel Channel,
    ContactKind Kind,
    string CreditorName,
    PostalAddress? CreditorAddress,
    IReadOnlyList<MessageCase> Cases,
    string Link,
    string Language,
    AgencyOptions Agency,
    DateTimeOffset Now,
    decimal? LateInterestRate = null);

/// <summary>
/// Writes reminder texts: firm and respectful, French by default, English available, per stage and channel.
/// A message names the creditor, the invoice date, the reference and the amount, never the bill's label (a lab's
/// label may name an analysis). E-mails and letters carry every mention of CPCE R124-4; every message after the
/// first repeats the reference and date of the first. SMS stay in the GSM-7 alphabet and within two segments
/// whenever the link allows.
/// </summary>
public static class MessageComposer
{
    public const int MaxSmsSegments = 2;

    /// <summary>Lines of a letter or e-mail that start with this are headings (bold in a PDF).</summary>
    public const string Heading = "## ";

    /// <summary>What a message about several cases is: a formal notice wins, then a dispute answer, then a reminder.</summary>
    public static ContactKind KindOf(IEnumerable<ContactKind> kinds)
    {
        bool notice = false, answer = false, instalment = false, other = false;
        foreach (var kind in kinds)
        {
            notice |= kind == ContactKind.FormalNotice;
            answer |= kind == ContactKind.DisputeAnswer;
            instalment |= kind == ContactKind.InstalmentDue;
            other |= kind is not (ContactKind.FormalNotice or ContactKind.DisputeAnswer or ContactKind.InstalmentDue);
        }

        return notice ? ContactKind.FormalNotice
            : answer ? ContactKind.DisputeAnswer
            : instalment && !other ? ContactKind.InstalmentDue
            : ContactKind.Reminder;
    }

    public static (string? Subject, string Body) Compose(MessageInput input)
    {
        var text = new Texts(input);
        return input.Channel switch
        {
            Channel.Sms => (null, text.Sms()),
            Channel.Letter => (text.Subject(), text.Letter(forPaper: true)),
            _ => (text.Subject(), text.Letter(forPaper: false)),
        };
    }

    private sealed class Texts(MessageInput input)
    {
        private readonly bool _en = input.Language.StartsWith("en", StringComparison.OrdinalIgnoreCase);
        private readonly CultureInfo _culture = CultureInfo.GetCultureInfo(input.Language.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? "en-GB" : "fr-FR");
        private IReadOnlyList<MessageCase> Cases => input.Cases;
        private bool FirstContact => Cases.All(c => c.FirstContactAt is null);
        private bool Later => Cases.Max(c => c.Stage) > 0;

        private string T(string fr, string en) => _en ? en : fr;

        private string Money(decimal value, bool sms = false)
        {
            var currency = Cases[0].Currency;
            var symbol = currency == "EUR" ? (sms ? "EUR" : "€") : currency;
            return string.Format(_culture, "{0:N2} {1}", value, symbol).Replace('\u202F', ' ').Replace('\u00A0', ' ');
        }

        private static string Date(DateOnly day) => day.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

        private static string Date(DateTimeOffset instant) => Date(Calendar.ParisTime.DateOf(instant));

        public string Subject() => (input.Kind, Cases.Count) switch
        {
            (ContactKind.DisputeAnswer, _) => T($"Votre contestation – {input.CreditorName}", $"Your dispute – {input.CreditorName}"),
            (ContactKind.InstalmentDue, _) => T($"Échéance de votre plan de paiement – {input.CreditorName}", $"Your payment plan instalment – {input.CreditorName}"),
            (ContactKind.FormalNotice, _) => T($"Mise en demeure de payer – {input.CreditorName}", $"Formal notice to pay – {input.CreditorName}"),
            (_, 1) when Later => T($"Relance : votre facture {input.CreditorName} du {Date(Cases[0].IssuedOn)} reste impayée",
                $"Reminder: your {input.CreditorName} invoice of {Date(Cases[0].IssuedOn)} is still unpaid"),
            (_, 1) => T($"Votre facture {input.CreditorName} du {Date(Cases[0].IssuedOn)} reste impayée",
                $"Your {input.CreditorName} invoice of {Date(Cases[0].IssuedOn)} is still unpaid"),
            (_, var n) => T($"{n} factures {input.CreditorName} restent impayées", $"{n} {input.CreditorName} invoices are still unpaid"),
        };

        public string Sms()
        {
            var total = Money(Cases.Sum(c => c.AmountDue), sms: true);
            var one = Cases.Count == 1 ? Cases[0] : null;
            var what = one is not null
                ? T($"votre facture du {Date(one.IssuedOn)} ({Money(one.AmountDue, true)}, réf. {one.Reference}) reste impayée",
                    $"your invoice of {Date(one.IssuedOn)} ({Money(one.AmountDue, true)}, ref. {one.Reference}) is still unpaid")
                : T($"{Cases.Count} factures ({total} au total) restent impayées", $"{Cases.Count} invoices ({total} in all) are still unpaid");
            var answered = Cases.FirstOrDefault(c => c.Note is not null);
            var instalment = Cases.FirstOrDefault(c => c.Instalment is not null);
            var opening = answered is not null
                ? T($"{input.CreditorName} : votre contestation (réf. {answered.Reference}) n'a pas été retenue, le motif est en ligne. {Capitalised(what)}.",
                    $"{input.CreditorName}: your dispute (ref. {answered.Reference}) was not upheld, the reason is online. {Capitalised(what)}.")
                : input.Kind == ContactKind.InstalmentDue && instalment is not null
                ? T($"{input.CreditorName} : échéance de {Money(instalment.Instalment!.Amount, true)} de votre plan (réf. {instalment.Reference}) due le {Date(instalment.Instalment.DueOn)}.",
                    $"{input.CreditorName}: instalment of {Money(instalment.Instalment!.Amount, true)} of your plan (ref. {instalment.Reference}) due on {Date(instalment.Instalment.DueOn)}.")
                : input.Kind == ContactKind.FormalNotice
                ? T($"{input.CreditorName} : une mise en demeure vous est adressée, {what}.", $"{input.CreditorName}: a formal notice is on its way, {what}.")
                : T($"{input.CreditorName} : {what}.", $"{input.CreditorName}: {what}.");
            var action = T($" Payer, demander un échéancier ou contester : {input.Link}", $" Pay, ask for instalments or dispute: {input.Link}");
            var first = Cases.Where(c => c.FirstContactAt is not null).OrderBy(c => c.FirstContactAt).FirstOrDefault();
            var reminder = first is null ? string.Empty
                : T($" Suite à notre courrier {LegalTexts.Reference(first.FirstContactId!)} du {Date(first.FirstContactAt!.Value)}.",
                    $" Further to our message {LegalTexts.Reference(first.FirstContactId!)} of {Date(first.FirstContactAt!.Value)}.");

            // From the fullest wording to the shortest, the first that fits in two segments.
            string[] variants =
            [
                opening + reminder + action,
                opening + action,
                T($"{input.CreditorName} : {total} impayés, réf. {Cases[0].Reference}. Réglez ici : {input.Link}",
                    $"{input.CreditorName}: {total} unpaid, ref. {Cases[0].Reference}. Pay here: {input.Link}"),
            ];
            var sms = string.Empty;
            foreach (var variant in variants)
            {
                sms = Gsm7.Transliterate(variant);
                if (Gsm7.Segments(sms) <= MaxSmsSegments)
                {
                    break;
                }
            }

            return sms;
        }

        public string Letter(bool forPaper)
        {
            var text = letterText ??= new StringBuilder(8 * 1024);
            text.Clear();
            var due = Cases.Sum(c => c.AmountDue);
            if (forPaper)
            {
                text.AppendLine(Heading + (input.Kind == ContactKind.FormalNotice ? T("MISE EN DEMEURE DE PAYER", "FORMAL NOTICE TO PAY") : T("LETTRE DE RELANCE", "PAYMENT REMINDER")));
                text.AppendLine(T($"Le {Date(input.Now)}", $"{Date(input.Now)}")).AppendLine();
            }

            text.AppendLine(T($"Notre référence : {LegalTexts.Reference(input.MessageId)}", $"Our reference: {LegalTexts.Reference(input.MessageId)}"));
            foreach (var c in Cases.Where(c => c.FirstContactAt is not null && c.FirstContactId is not null).DistinctBy(c => c.FirstContactId))
            {
                text.AppendLine(T($"Premier courrier : {LegalTexts.Reference(c.FirstContactId!)} du {Date(c.FirstContactAt!.Value)}",
                    $"First letter: {LegalTexts.Reference(c.FirstContactId!)} of {Date(c.FirstContactAt!.Value)}"));
            }

            text.AppendLine().AppendLine(T("Madame, Monsieur,", "Dear Sir or Madam,")).AppendLine();
            foreach (var c in Cases.Where(c => c.Note is not null))
            {
                text.AppendLine(T($"{input.CreditorName} a examiné votre contestation concernant la facture réf. {c.Reference} et ne l'a pas retenue. Motif : « {c.Note} ». Le recouvrement amiable reprend.",
                    $"{input.CreditorName} has examined your dispute about invoice ref. {c.Reference} and did not uphold it. Reason: \"{c.Note}\". Amicable collection resumes."));
                text.AppendLine();
            }

            foreach (var c in Cases.Where(c => c.Instalment is not null))
            {
                text.AppendLine(T($"L'échéance n° {c.Instalment!.Number} de votre plan de paiement pour la facture réf. {c.Reference}, d'un montant de {Money(c.Instalment.Amount)}, est due le {Date(c.Instalment.DueOn)}. Une échéance non réglée met fin au plan.",
                    $"Instalment no. {c.Instalment!.Number} of your payment plan for invoice ref. {c.Reference}, {Money(c.Instalment.Amount)}, is due on {Date(c.Instalment.DueOn)}. A missed instalment ends the plan."));
                text.AppendLine();
            }

            text.AppendLine(Opening());
            text.AppendLine();
            foreach (var c in Cases)
            {
                text.AppendLine(Heading + T($"Facture du {Date(c.IssuedOn)}, réf. {c.Reference}, échue le {Date(c.DueOn)}",
                    $"Invoice of {Date(c.IssuedOn)}, ref. {c.Reference}, due on {Date(c.DueOn)}"));
                text.AppendLine(T($"    Principal : {Money(c.Principal)}", $"    Principal: {Money(c.Principal)}"));
                text.AppendLine(T($"    Intérêts : {Money(c.Interest)}", $"    Interest: {Money(c.Interest)}")
                    + (c.Interest > 0 && input.LateInterestRate is { } rate
                        ? T($" (intérêts de retard au taux annuel de {rate.ToString("0.##", _culture)} %)", $" (late-payment interest at {rate.ToString("0.##", _culture)} % a year)")
                        : string.Empty));
                text.AppendLine(T($"    Autres sommes : {Money(c.OtherCharges)}", $"    Other items: {Money(c.OtherCharges)}")
                    + (c.OtherCharges > 0
                        ? T(" (indemnité forfaitaire pour frais de recouvrement, art. L441-10 et D441-5 du code de commerce)",
                            " (fixed recovery indemnity, French Commercial Code art. L441-10 and D441-5)")
                        : string.Empty));
                if (c.Paid > 0)
                {
                    text.AppendLine(T($"    Déjà réglé : {Money(c.Paid)}", $"    Already paid: {Money(c.Paid)}"));
                }

                text.AppendLine(T($"    Reste à payer : {Money(c.AmountDue)}", $"    Left to pay: {Money(c.AmountDue)}"));
            }

            text.AppendLine().AppendLine(Heading + T($"Total à régler : {Money(due)}", $"Total to pay: {Money(due)}"));
            if (Cases.All(c => c.Interest == 0 && c.OtherCharges == 0))
            {
                text.AppendLine(T("Aucun frais de recouvrement ne vous est réclamé.", "No collection fee is charged to you."));
            }

            text.AppendLine();
            text.AppendLine(input.Kind == ContactKind.FormalNotice
                ? T($"Nous vous mettons en demeure de régler cette somme sous huit jours à compter de la réception de ce courrier. À défaut, {input.CreditorName} pourra saisir la justice (procédure simplifiée de recouvrement des petites créances ou injonction de payer), sans nouvel avis.",
                    $"We hereby formally request payment of this sum within eight days of receiving this letter. Failing that, {input.CreditorName} may take the matter to court (simplified small-claims procedure or payment order) without further notice.")
                : T("Nous vous demandons de bien vouloir régler cette somme dès que possible.", "We kindly ask you to pay this sum as soon as possible."));
            text.AppendLine(T($"Pour payer en ligne par carte, demander un échéancier, contester ou corriger vos coordonnées : {input.Link}",
                $"To pay online by card, ask for instalments, dispute or correct your details: {input.Link}"));
            if (input.Agency.Contact is { Length: > 0 } contact)
            {
                text.AppendLine(T($"Pour toute question : {contact}", $"Any question: {contact}"));
            }

            text.AppendLine(T("Si vous avez déjà réglé, merci de ne pas tenir compte de ce message.", "If you have already paid, please disregard this message."));
            text.AppendLine().AppendLine(Heading + T("Informations légales (art. R124-4 du code des procédures civiles d'exécution)", "Legal information (French Civil Enforcement Code art. R124-4)"));
            text.AppendLine(T($"{input.Agency.Name}, {input.Agency.Address}, exerce une activité de recouvrement amiable de créances pour le compte de {Creditor()}.",
                $"{input.Agency.Name}, {input.Agency.Address}, carries out amicable debt collection on behalf of {Creditor()}."));
            text.AppendLine(T($"Fondement de la créance : facture{(Cases.Count > 1 ? "s" : string.Empty)} impayée{(Cases.Count > 1 ? "s" : string.Empty)} émise{(Cases.Count > 1 ? "s" : string.Empty)} par {input.CreditorName}, détaillée{(Cases.Count > 1 ? "s" : string.Empty)} ci-dessus.",
                $"Basis of the claim: unpaid invoice{(Cases.Count > 1 ? "s" : string.Empty)} issued by {input.CreditorName}, detailed above."));
            text.AppendLine(T("Article L111-8 du code des procédures civiles d'exécution, alinéas 2 et 3 :", "French Civil Enforcement Code art. L111-8, paragraphs 2 and 3 (in French):"));
            text.AppendLine(LegalTexts.L111Paragraphs2And3);
            text.AppendLine().AppendLine(input.Agency.Name);
            var letter = text.ToString();
            if (text.Capacity > 64 * 1024)
            {
                letterText = null; // a letter for very many cases: not kept for the next
            }

            return letter;
        }

        /// <summary>
        /// Each thread's builder for a letter's text, kept from one message to the next (the text is written
        /// synchronously): a new builder grew through several chunks for every e-mail of a burst.
        /// </summary>
        [ThreadStatic]
        private static StringBuilder? letterText;

        private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

        private string Creditor() => input.CreditorAddress is { } a
            ? $"{input.CreditorName}, {a.Line1}, {a.PostalCode} {a.City}"
            : input.CreditorName;

        private string Opening() => (input.Kind, FirstContact, Later) switch
        {
            (ContactKind.FormalNotice, _, _) => T($"Malgré nos précédentes relances, les sommes suivantes dues à {input.CreditorName} restent impayées.",
                $"Despite our earlier reminders, the following sums owed to {input.CreditorName} remain unpaid."),
            (_, false, _) or (_, _, true) => T($"Nous vous avons déjà écrit au sujet des sommes suivantes dues à {input.CreditorName} ; sauf erreur de notre part, elles restent impayées.",
                $"We have already written to you about the following sums owed to {input.CreditorName}; unless we are mistaken, they are still unpaid."),
            _ => T($"{input.CreditorName} nous a confié le recouvrement amiable des sommes suivantes, qui restent impayées sauf erreur de notre part.",
                $"{input.CreditorName} has asked us to collect the following sums, which are still unpaid unless we are mistaken."),
        };
    }
}
