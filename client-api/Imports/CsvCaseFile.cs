using System.Text;
using Recouvrement.Api.Cases;

namespace Recouvrement.Api.Imports;

/// <summary>
/// One record of a CSV file: the line it starts on, its cells (the first <see cref="InputLimits.MaxCsvColumns"/> + 1
/// of them at most), how many cells it has in all, whether its lines were valid UTF-8, and whether it ended inside a
/// quoted cell that was never closed.
/// </summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields, int FieldCount, bool InvalidEncoding, bool OpenQuote);

/// <summary>
/// Reads a creditor's CSV file (RFC 4180 quoting, ',' or ';' chosen from the header, UTF-8 with or without BOM; a
/// line ends at LF or CRLF). It works line by line on bytes so that one badly encoded line is reported on its own and
/// the rest is kept, and it keeps what one record can cost bounded: a record keeps at most one cell more than a file
/// may have columns, and a quoted cell goes on over a line break only while it is within the field limit, so that a
/// quote left open costs its own line and not the rest of the file.
/// </summary>
public static class CsvCaseFile
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly UTF8Encoding Lenient = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>The records of the file, at most <paramref name="maxRecords"/>; <c>More</c> says that the file goes on past them.</summary>
    public static (char Delimiter, IReadOnlyList<CsvRecord> Records, bool More) Read(ReadOnlySpan<byte> content, int maxRecords = int.MaxValue)
    {
        if (content.StartsWith("\uFEFF"u8))
        {
            content = content[3..];
        }

        var position = 0;
        var number = 0;
        var delimiter = content.IsEmpty ? ',' : ChooseDelimiter(NextLine(content, ref position, ref number).Text);
        position = 0;
        number = 0;
        var records = new List<CsvRecord>();
        var field = new StringBuilder();
        while (position < content.Length)
        {
            var start = number + 1;
            var (text, invalid) = NextLine(content, ref position, ref number);
            var afterStart = position;
            if (text.Length == 0)
            {
                continue;
            }

            if (records.Count == maxRecords)
            {
                return (delimiter, records, true);
            }

            var fields = new List<string>();
            var count = 0;
            var quoted = false;
            var open = false;
            field.Clear();
            while (true)
            {
                for (var i = 0; i < text.Length; i++)
                {
                    var c = text[i];
                    if (quoted)
                    {
                        if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i++;
                        }
                        else if (c == '"')
                        {
                            quoted = false;
                        }
                        else
                        {
                            field.Append(c);
                        }
                    }
                    else if (c == '"' && field.Length == 0)
                    {
                        quoted = true;
                    }
                    else if (c == delimiter)
                    {
                        Keep(fields, field, ref count);
                    }
                    else
                    {
                        field.Append(c);
                    }
                }

                if (!quoted)
                {
                    break;
                }

                if (position >= content.Length || InputLimits.TooLong(field.ToString()))
                {
                    open = true;
                    break;
                }

                field.Append('\n'); // a quoted field goes on over the line break
                var (next, bad) = NextLine(content, ref position, ref number);
                text = next;
                invalid |= bad;
            }

            if (open)
            {
                // The quote is taken for a mistake: this record is its first line alone, and reading goes on after it.
                records.Add(new CsvRecord(start, fields, count, invalid, OpenQuote: true));
                position = afterStart;
                number = start;
                continue;
            }

            Keep(fields, field, ref count);
            records.Add(new CsvRecord(start, fields, count, invalid, OpenQuote: false));
        }

        return (delimiter, records, false);
    }

    private static void Keep(List<string> fields, StringBuilder field, ref int count)
    {
        count++;
        if (fields.Count <= InputLimits.MaxCsvColumns)
        {
            fields.Add(field.ToString());
        }

        field.Clear();
    }

    /// <summary>The line that starts at <paramref name="position"/>, without its LF or CRLF, decoded; moves past it.</summary>
    private static (string Text, bool InvalidEncoding) NextLine(ReadOnlySpan<byte> content, ref int position, ref int number)
    {
        number++;
        var rest = content[position..];
        var end = rest.IndexOf((byte)'\n');
        var line = end < 0 ? rest : rest[..end];
        position += end < 0 ? rest.Length : end + 1;
        if (line.Length > 0 && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        try
        {
            return (Strict.GetString(line), false);
        }
        catch (DecoderFallbackException)
        {
            return (Lenient.GetString(line), true);
        }
    }

    private static char ChooseDelimiter(string header) =>
        header.Count(c => c == ';') > header.Count(c => c == ',') ? ';' : ',';
}
