namespace Recouvrement.Api.Cases;

/// <summary>A case to create: the body of <c>POST /api/v1/cases</c>, and each item of <c>/cases/batch</c>.</summary>
/// <remarks>
/// The OpenAPI document's type for these bodies. The handlers do not bind it: they read the JSON by hand
/// (<see cref="CaseJson"/>) so that each wrong field gets its own error; its fields are the ones <see cref="FieldNames.Json"/>
/// names (OpenApiContractTests holds the two together).
/// </remarks>
public sealed record CaseRequest
{
    /// <summary>The creditor's own reference of the bill, unique per creditor: 1 to 64 letters, digits, '.', '_' or '-'.</summary>
    public required string Reference { get; init; }

    /// <summary>The amount due, more than 0 and at most 1000000, with at most 2 decimals.</summary>
    public required decimal Amount { get; init; }

    /// <summary>Only EUR; EUR when left out.</summary>
    public string? Currency { get; init; }

    /// <summary>The bill's date (YYYY-MM-DD).</summary>
    public required DateOnly IssuedOn { get; init; }

    /// <summary>The date payment was due (YYYY-MM-DD), not before the issue date; the schedule counts from it.</summary>
    public required DateOnly DueOn { get; init; }

    /// <summary>What the debtor sees the bill as, at most 200 characters.</summary>
    public string? Label { get; init; }

    /// <summary>Who owes the money.</summary>
    public required CaseDebtor Debtor { get; init; }
}

/// <summary>The debtor of a <see cref="CaseRequest"/>: at least an e-mail, a phone number or a postal address.</summary>
public sealed record CaseDebtor
{
    /// <summary>The creditor's reference of the debtor: the cases with the same one share a debtor.</summary>
    public required string Reference { get; init; }

    /// <summary><c>consumer</c> when left out.</summary>
    public DebtorKind? Kind { get; init; }

    /// <summary>The debtor's name, at most 200 characters.</summary>
    public required string Name { get; init; }

    public string? Email { get; init; }

    /// <summary>E.164 (+33612345678), or a French number (06 12 34 56 78).</summary>
    public string? Phone { get; init; }

    public CaseDebtorAddress? Address { get; init; }

    /// <summary>The language of the messages: <c>fr</c> (when left out) or <c>en</c>.</summary>
    public string? Language { get; init; }
}

/// <summary>The postal address of a <see cref="CaseDebtor"/>, for letters.</summary>
public sealed record CaseDebtorAddress
{
    public required string Line1 { get; init; }

    public required string PostalCode { get; init; }

    public required string City { get; init; }

    /// <summary>ISO 3166-1 two-letter code; <c>FR</c> when left out.</summary>
    public string? Country { get; init; }
}
