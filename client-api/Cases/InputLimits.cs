using System.Text;

namespace Recouvrement.Api.Cases;

/// <summary>
/// The bounds every case offered for intake stays within, whether it comes as JSON or as a CSV line. Past one of them
/// the item is invalid with an error naming the field; the other items of the batch or file go on. See
/// docs/reliability.md, "Bounded input".
/// </summary>
public static class InputLimits
{
    /// <summary>Any field: a JSON string (or number) anywhere in a case, a CSV cell. 4 KB of UTF-8.</summary>
    public const int MaxFieldBytes = 4096;

    /// <summary>Digits of an amount before its decimal point, leading zeros aside.</summary>
    public const int MaxAmountIntegerDigits = 9;

    /// <summary>Columns of a CSV file, and cells of one of its lines.</summary>
    public const int MaxCsvColumns = 64;

    /// <summary>The earliest issue or due date accepted.</summary>
    public static readonly DateOnly EarliestDate = new(2000, 1, 1);

    /// <summary>The latest issue or due date accepted.</summary>
    public static readonly DateOnly LatestDate = new(2100, 12, 31);

    public static readonly string FieldTooLong = $"longer than {MaxFieldBytes} bytes (UTF-8): no field may be longer";

    /// <summary>Whether a text is over <see cref="MaxFieldBytes"/>, without encoding a long one whole.</summary>
    public static bool TooLong(string text) =>
        text.Length > MaxFieldBytes || (text.Length * 3 > MaxFieldBytes && Encoding.UTF8.GetByteCount(text) > MaxFieldBytes);
}
