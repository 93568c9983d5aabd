using System.Globalization;
using System.Net.Mail;
using System.Text.RegularExpressions;

namespace Recouvrement.Api.Cases;

/// <summary>A case as text, whether it came from JSON or from a CSV line, before validation.</summary>
public sealed record CaseInput(
    string? Reference, string? Amount, string? Currency, string? IssuedOn, string? DueOn, string? Label,
    string? DebtorReference, string? DebtorKind, string? DebtorName, string? Email, string? Phone,
    string? AddressLine1, string? PostalCode, string? City, string? Country, string? Language = null);

/// <summary>One thing wrong with one field of an input.</summary>
public sealed record FieldError(string Field, string Reason);

/// <summary>How fields are named back to the sender: JSON paths or CSV column names.</summary>
public sealed record FieldNames(
    string Reference, string Amount, string Currency, string IssuedOn, string DueOn, string Label,
    string DebtorReference, string DebtorKind, string DebtorName, string Email, string Phone,
    string AddressLine1, string PostalCode, string City, string Country, string Language)
{
    public static FieldNames Json { get; } = new("reference", "amount", "currency", "issuedOn", "dueOn", "label",
        "debtor.reference", "debtor.kind", "debtor.name", "debtor.email", "debtor.phone",
        "debtor.address.line1", "debtor.address.postalCode", "debtor.address.city", "debtor.address.country", "debtor.language");

    public static FieldNames Csv { get; } = new("reference", "amount", "currency", "issued_on", "due_on", "label",
        "debtor_reference", "debtor_kind", "debtor_name", "email", "phone",
        "address_line1", "postal_code", "city", "country", "language");
}

/// <summary>Turns a <see cref="CaseInput"/> into a <see cref="CaseDraft"/>, or says precisely what is wrong.</summary>
public static partial class CaseValidation
{
    public const int MaxTextLength = 200;

    /// <summary>
    /// The reason of a claim that was already prescribed on the day it was fed (a consumer's due more than 2 years ago,
    /// anyone else's more than 5): nothing can be collected, so it is refused rather than dunned.
    /// </summary>
    public const string Prescribed = "prescribed";

    /// <param name="today">The day of intake, in Paris: a claim already prescribed then is refused.</param>
    public static (CaseDraft? Draft, IReadOnlyList<FieldError> Errors) Validate(CaseInput input, FieldNames names, bool decimalComma, DateOnly today)
    {
        var errors = new List<FieldError>();
        var reference = Reference(input.Reference, names.Reference, errors);
        var amount = Amount(input.Amount, names.Amount, decimalComma, errors);
        var currency = string.IsNullOrWhiteSpace(input.Currency) ? "EUR" : input.Currency.Trim().ToUpperInvariant();
        if (currency != "EUR")
        {
            errors.Add(new(names.Currency, $"only EUR is supported, not '{Shown(currency)}'"));
        }

        var issuedOn = Date(input.IssuedOn, names.IssuedOn, errors);
        var dueOn = Date(input.DueOn, names.DueOn, errors);
        if (issuedOn is { } i && dueOn is { } d && d < i)
        {
            errors.Add(new(names.DueOn, "the due date is before the issue date"));
        }

        var label = Optional(input.Label, names.Label, errors);
        var debtorReference = Reference(input.DebtorReference, names.DebtorReference, errors);
        var kind = Kind(input.DebtorKind, names.DebtorKind, errors);
        var name = Optional(input.DebtorName, names.DebtorName, errors);
        if (name is null)
        {
            errors.Add(new(names.DebtorName, "required"));
        }

        var email = Email(input.Email, names.Email, errors);
        var phone = Phone(input.Phone, names.Phone, errors);
        var address = Address(input, names, errors);
        var language = input.Language?.Trim().ToLowerInvariant() switch
        {
            null or "" => null,
            "fr" or "en" => input.Language.Trim().ToLowerInvariant(),
            _ => Invalid(names.Language, $"'{Shown(input.Language.Trim())}' is not a supported language: fr or en", errors),
        };
        if (email is null && phone is null && address is null && !errors.Exists(e => e.Field == names.Email || e.Field == names.Phone))
        {
            errors.Add(new(names.Email, "the debtor needs at least an e-mail, a phone number or a postal address"));
        }

        if (errors.Count == 0 && Prescription.IsPrescribed(dueOn!.Value, kind!.Value, today))
        {
            errors.Add(new(names.DueOn, Prescribed));
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new CaseDraft(reference!, amount!.Value, currency, issuedOn!.Value, dueOn!.Value, label,
            new DebtorDetails(debtorReference!, kind!.Value, name!, email, phone, address, language)), errors);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex ReferencePattern();

    [GeneratedRegex("^[0-9]+([.,][0-9]{1,2})?$")]
    private static partial Regex AmountPattern();

    private static string? Reference(string? value, string field, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new(field, "required"));
            return null;
        }

        var trimmed = value.Trim();
        if (!ReferencePattern().IsMatch(trimmed))
        {
            errors.Add(new(field, "1 to 64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit"));
            return null;
        }

        return trimmed;
    }

    private static decimal? Amount(string? value, string field, bool decimalComma, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new(field, "required"));
            return null;
        }

        var text = value.Trim();
        if (!AmountPattern().IsMatch(text) || (!decimalComma && text.Contains(',', StringComparison.Ordinal)))
        {
            errors.Add(new(field, $"'{Shown(text)}' is not an amount (digits with at most 2 decimals, e.g. 42.50)"));
            return null;
        }

        // Counted before parsing: a long run of digits would overflow a decimal.
        var point = text.AsSpan().IndexOfAny('.', ',');
        var integerDigits = text.AsSpan(0, point >= 0 ? point : text.Length).TrimStart('0').Length;
        if (integerDigits > InputLimits.MaxAmountIntegerDigits
            || !decimal.TryParse(text.Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            errors.Add(new(field, $"at most {InputLimits.MaxAmountIntegerDigits} digits before the decimal point"));
            return null;
        }

        if (amount <= 0m || amount > 1_000_000m)
        {
            errors.Add(new(field, "must be more than 0 and at most 1000000"));
            return null;
        }

        return amount;
    }

    private static DateOnly? Date(string? value, string field, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new(field, "required"));
            return null;
        }

        string[] formats = ["yyyy-MM-dd", "dd/MM/yyyy"];
        if (!DateOnly.TryParseExact(value.Trim(), formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            errors.Add(new(field, $"'{Shown(value.Trim())}' is not a date (YYYY-MM-DD or DD/MM/YYYY)"));
            return null;
        }

        // A schedule counts days from these dates: far ones are typing errors, and near the calendar's ends they overflow.
        if (date < InputLimits.EarliestDate || date > InputLimits.LatestDate)
        {
            errors.Add(new(field, $"must be between {InputLimits.EarliestDate:yyyy-MM-dd} and {InputLimits.LatestDate:yyyy-MM-dd}"));
            return null;
        }

        return date;
    }

    private static string? Optional(string? value, string field, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.Trim();
        if (trimmed.Length > MaxTextLength)
        {
            errors.Add(new(field, $"at most {MaxTextLength} characters"));
            return null;
        }

        return trimmed;
    }

    private static DebtorKind? Kind(string? value, string field, List<FieldError> errors)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case null or "" or "consumer" or "particulier":
                return DebtorKind.Consumer;
            case "business" or "entreprise" or "professionnel":
                return DebtorKind.Business;
            default:
                errors.Add(new(field, $"'{Shown(value!)}' is not a debtor kind (consumer or business)"));
                return null;
        }
    }

    private static string? Email(string? value, string field, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.Trim();
        if (trimmed.Length > MaxTextLength || !MailAddress.TryCreate(trimmed, out var address)
            || address.Address != trimmed || !address.Host.Contains('.', StringComparison.Ordinal))
        {
            errors.Add(new(field, "not an e-mail address"));
            return null;
        }

        return trimmed;
    }

    /// <summary>E.164, French national numbers (0X XX XX XX XX) accepted and converted.</summary>
    private static string? Invalid(string field, string reason, List<FieldError> errors)
    {
        errors.Add(new(field, reason));
        return null;
    }

    private static string? Phone(string? value, string field, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (PhoneNumberFormat.ToE164(value) is not { } e164)
        {
            errors.Add(new(field, $"'{Shown(value.Trim())}' is not a valid phone number (E.164 like +33612345678, or a French number like 06 12 34 56 78)"));
            return null;
        }

        return e164;
    }

    private static PostalAddress? Address(CaseInput input, FieldNames names, List<FieldError> errors)
    {
        string?[] parts = [input.AddressLine1, input.PostalCode, input.City];
        if (parts.All(string.IsNullOrWhiteSpace))
        {
            return null;
        }

        var before = errors.Count;
        var line1 = Optional(input.AddressLine1, names.AddressLine1, errors) ?? Missing(names.AddressLine1, errors);
        var postal = Optional(input.PostalCode, names.PostalCode, errors) ?? Missing(names.PostalCode, errors);
        var city = Optional(input.City, names.City, errors) ?? Missing(names.City, errors);
        var country = string.IsNullOrWhiteSpace(input.Country) ? "FR" : input.Country.Trim().ToUpperInvariant();
        if (country.Length != 2 || !country.All(char.IsAsciiLetterUpper))
        {
            errors.Add(new(names.Country, "a two-letter country code (ISO 3166-1), e.g. FR"));
        }

        return errors.Count == before ? new PostalAddress(line1!, postal!, city!, country) : null;
    }

    /// <summary>A value as quoted back in a reason: its start only, so that an answer stays about as long as its request.</summary>
    private static string Shown(string value) =>
        value.Length <= 64 ? value : string.Concat(value.AsSpan(0, char.IsHighSurrogate(value[60]) ? 60 : 61), "...");

    private static string? Missing(string field, List<FieldError> errors)
    {
        errors.Add(new(field, "required when an address is given"));
        return null;
    }
}
