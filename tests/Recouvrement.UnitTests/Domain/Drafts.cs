namespace Recouvrement.Tests.Domain;

/// <summary>Cases and debtors for tests.</summary>
public static class Drafts
{
    public static DebtorDetails Debtor(string reference = "PAT-1", DebtorKind kind = DebtorKind.Consumer, string? email = "marie.durand@example.org",
        string? phone = "+33612345678", PostalAddress? address = null) =>
        new(reference, kind, "Marie Durand", email, phone, address ?? new PostalAddress("3 rue des Lilas", "69003", "Lyon", "FR"));

    public static CaseDraft Case(string reference = "FAC-1", decimal amount = 42.50m, DateOnly? dueOn = null, DebtorDetails? debtor = null) =>
        new(reference, amount, "EUR", (dueOn ?? new DateOnly(2026, 11, 3)).AddDays(-30), dueOn ?? new DateOnly(2026, 11, 3),
            "Bilan lipidique et TSH du 04/10/2026", debtor ?? Debtor());
}
