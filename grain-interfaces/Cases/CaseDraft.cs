namespace Recouvrement.Cases;

/// <summary>Whether a debtor is a private person or a business: fees, interest and prescription differ.</summary>
[GenerateSerializer, Alias("rc.DebtorKind")]
public enum DebtorKind
{
    Consumer = 0,
    Business = 1,
}

/// <summary>A postal address, as the creditor gave it.</summary>
[GenerateSerializer, Immutable, Alias("rc.PostalAddress")]
public sealed record PostalAddress(
    [property: Id(0)] string Line1,
    [property: Id(1)] string PostalCode,
    [property: Id(2)] string City,
    [property: Id(3)] string Country);

/// <summary>Who owes the money, as the creditor describes them when it feeds a case.</summary>
[GenerateSerializer, Immutable, Alias("rc.DebtorDetails")]
public sealed record DebtorDetails(
    [property: Id(0)] string Reference,
    [property: Id(1)] DebtorKind Kind,
    [property: Id(2)] string Name,
    [property: Id(3)] string? Email,
    [property: Id(4)] string? Phone,
    [property: Id(5)] PostalAddress? Address,
    [property: Id(6)] string? Language = null)
{
    /// <summary>The name an erased debtor is shown under.</summary>
    public const string ErasedName = "[erased]";

    /// <summary>The language messages are written in: <c>en</c> when asked for, French otherwise.</summary>
    public string MessageLanguage => Language == "en" ? "en" : "fr";

    /// <summary>The details with nothing left that identifies the person: only the creditor's reference and the kind remain.</summary>
    public DebtorDetails Erased() => this with { Name = ErasedName, Email = null, Phone = null, Address = null, Language = null };
}

/// <summary>A validated unpaid bill as the creditor submits it; its reference is unique per creditor.</summary>
[GenerateSerializer, Immutable, Alias("rc.CaseDraft")]
public sealed record CaseDraft(
    [property: Id(0)] string Reference,
    [property: Id(1)] decimal Amount,
    [property: Id(2)] string Currency,
    [property: Id(3)] DateOnly IssuedOn,
    [property: Id(4)] DateOnly DueOn,
    [property: Id(5)] string? Label,
    [property: Id(6)] DebtorDetails Debtor);
