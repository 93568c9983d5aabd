using PhoneNumbers;

namespace Recouvrement.Debtors;

/// <summary>Phone numbers in E.164, read with libphonenumber; a number without a country code is French.</summary>
public static class PhoneNumberFormat
{
    public const string DefaultRegion = "FR";
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>The number in E.164 (<c>+33612345678</c>), or null when it is not a valid phone number.</summary>
    public static string? ToE164(string? raw, string defaultRegion = DefaultRegion)
    {
        if (string.IsNullOrWhiteSpace(raw) || raw.Any(char.IsLetter))
        {
            return null;
        }

        try
        {
            var number = Util.Parse(raw.Trim(), defaultRegion);
            return Util.IsValidNumber(number) ? Util.Format(number, PhoneNumbers.PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    /// <summary>Whether the number can receive an SMS as far as its numbering plan tells (mobile, or maybe mobile).</summary>
    public static bool CanReceiveSms(string e164)
    {
        try
        {
            var type = Util.GetNumberType(Util.Parse(e164, defaultRegion: null));
            return type is PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE or PhoneNumberType.UNKNOWN;
        }
        catch (NumberParseException)
        {
            return false;
        }
    }
}
