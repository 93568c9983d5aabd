using System.Globalization;
using System.Text;

namespace Recouvrement.Messaging;

/// <summary>
/// Writes reminder texts: firm and respectful, French by default, English available. A message names the
/// creditor, the invoice date, the reference and the amount, never the bill's label (a lab's label may name
/// an analysis).
/// </summary>
public static class MessageComposer
{
    public static (string? Subject, string Body) Compose(
        Channel channel, ContactKind kind, string creditorName, IReadOnlyList<MessageCase> cases, string link, string language = "fr")
    {
        var english = language.StartsWith("en", StringComparison.OrdinalIgnoreCase);
        var culture = CultureInfo.GetCultureInfo(english ? "en-GB" : "fr-FR");
        var total = cases.Sum(c => c.Balance);
        var currency = cases[0].Currency;
        string Amount(decimal value) => string.Format(culture, "{0:N2} {1}", value, currency == "EUR" ? "€" : currency);
        string Date(DateOnly day) => day.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
        var one = cases.Count == 1 ? cases[0] : null;

        return channel switch
        {
            Channel.Sms => (null, english
                ? one is not null
                    ? $"{creditorName}: your invoice of {Date(one.IssuedOn)} ({Amount(one.Balance)}, ref. {one.Reference}) is still unpaid. Pay online: {link}"
                    : $"{creditorName}: {cases.Count} invoices ({Amount(total)} in all) are still unpaid. Pay online: {link}"
                : one is not null
                    ? $"{creditorName} : votre facture du {Date(one.IssuedOn)} ({Amount(one.Balance)}, réf. {one.Reference}) reste impayée. Réglez-la en ligne : {link}"
                    : $"{creditorName} : {cases.Count} factures ({Amount(total)} au total) restent impayées. Réglez-les en ligne : {link}"),
            _ => (Subject(kind, creditorName, cases.Count, english), Letter(kind, creditorName, cases, link, english, Amount, Date, total)),
        };
    }

    private static string Subject(ContactKind kind, string creditorName, int count, bool english) => (kind, english) switch
    {
        (ContactKind.FormalNotice, false) => $"Mise en demeure de payer – {creditorName}",
        (ContactKind.FormalNotice, true) => $"Formal notice to pay – {creditorName}",
        (_, false) => count == 1 ? $"Votre facture {creditorName} reste impayée" : $"{count} factures {creditorName} restent impayées",
        (_, true) => count == 1 ? $"Your {creditorName} invoice is still unpaid" : $"{count} {creditorName} invoices are still unpaid",
    };

    private static string Letter(
        ContactKind kind, string creditorName, IReadOnlyList<MessageCase> cases, string link, bool english,
        Func<decimal, string> amount, Func<DateOnly, string> date, decimal total)
    {
        var text = new StringBuilder();
        text.AppendLine(english ? "Hello," : "Bonjour,").AppendLine();
        text.AppendLine(kind == ContactKind.FormalNotice
            ? english
                ? $"Despite our earlier reminders, the following sums owed to {creditorName} remain unpaid. We hereby formally request payment within eight days."
                : $"Malgré nos précédentes relances, les sommes suivantes dues à {creditorName} restent impayées. Nous vous mettons en demeure de les régler sous huit jours."
            : english
                ? $"Unless we are mistaken, the following sums owed to {creditorName} are still unpaid:"
                : $"Sauf erreur de notre part, les sommes suivantes dues à {creditorName} restent impayées :");
        text.AppendLine();
        foreach (var c in cases)
        {
            text.AppendLine(english
                ? $"- invoice of {date(c.IssuedOn)}, ref. {c.Reference}: {amount(c.Balance)} outstanding"
                : $"- facture du {date(c.IssuedOn)}, réf. {c.Reference} : {amount(c.Balance)} restant dus");
        }

        text.AppendLine().AppendLine(english ? $"Total: {amount(total)}" : $"Total : {amount(total)}").AppendLine();
        text.AppendLine(english ? $"Pay online, ask for instalments or tell us about a problem: {link}"
            : $"Pour payer en ligne, demander un échéancier ou nous signaler un problème : {link}");
        text.AppendLine().AppendLine(english ? "If you have already paid, please disregard this message."
            : "Si vous avez déjà réglé, merci de ne pas tenir compte de ce message.");
        return text.ToString();
    }
}
