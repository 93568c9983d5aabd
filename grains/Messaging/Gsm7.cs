using System.Buffers;
using System.Globalization;
using System.Text;

namespace Recouvrement.Messaging;

/// <summary>
/// The GSM 03.38 alphabet SMS are billed in: 160 characters in one segment, 153 per segment when split; a single
/// character outside it turns the whole message into UCS-2 (70, then 67 per segment).
/// </summary>
public static class Gsm7
{
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    /// <summary>Characters of the extension table: each costs two septets.</summary>
    private const string Extension = "^{}\\[~]|€\f";

    // Looked up once per character of every SMS variant tried: a set, not a scan of the alphabet.
    private static readonly SearchValues<char> Encodable = SearchValues.Create(Basic + Extension);
    private static readonly SearchValues<char> Doubled = SearchValues.Create(Extension);

    public static bool IsEncodable(string text) => !text.AsSpan().ContainsAnyExcept(Encodable);

    /// <summary>How many segments the text takes.</summary>
    public static int Segments(string text)
    {
        if (IsEncodable(text))
        {
            var septets = text.Length;
            foreach (var c in text)
            {
                septets += Doubled.Contains(c) ? 1 : 0;
            }

            return septets <= 160 ? 1 : (septets + 152) / 153;
        }

        return text.Length <= 70 ? 1 : (text.Length + 66) / 67;
    }

    /// <summary>
    /// Replaces what GSM-7 lacks by its nearest plain letter (ê → e, ç → c, ’ → ', « » → "), so that a French text
    /// stays in the cheap alphabet. Letters GSM-7 has (é, è, à, ù) are kept.
    /// </summary>
    public static string Transliterate(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (Encodable.Contains(c))
            {
                result.Append(c);
                continue;
            }

            var replacement = c switch
            {
                '’' or '‘' or '`' or '´' => "'",
                '«' or '»' or '“' or '”' => "\"",
                '–' or '—' or '‑' => "-",
                '…' => "...",
                '\u00A0' or '\u202F' or '\t' => " ",
                'ç' => "c",
                'œ' => "oe",
                'Œ' => "OE",
                _ => null,
            };
            if (replacement is null)
            {
                var plain = c.ToString().Normalize(NormalizationForm.FormD)
                    .Where(d => CharUnicodeInfo.GetUnicodeCategory(d) != UnicodeCategory.NonSpacingMark).ToArray();
                replacement = plain.Length > 0 && IsEncodable(new string(plain)) ? new string(plain) : "?";
            }

            result.Append(replacement);
        }

        return result.ToString();
    }
}
