using System.Text;

namespace Recouvrement.Api.Imports;

/// <summary>One record of a CSV file: the line it starts on, its fields, and whether that line was valid UTF-8.</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields, bool InvalidEncoding);

/// <summary>
/// Reads a creditor's CSV file (RFC 4180 quoting, ',' or ';' chosen from the header, UTF-8 with or without BOM).
/// It works line by line on bytes so that one badly encoded line is reported on its own and the rest is kept.
/// </summary>
public static class CsvCaseFile
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly UTF8Encoding Lenient = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    public static (char Delimiter, IReadOnlyList<CsvRecord> Records) Read(ReadOnlySpan<byte> content)
    {
        if (content.StartsWith("\uFEFF"u8))
        {
            content = content[3..];
        }

        var lines = PhysicalLines(content);
        var delimiter = lines.Count == 0 ? ',' : ChooseDelimiter(lines[0].Text);
        var records = new List<CsvRecord>();
        var index = 0;
        while (index < lines.Count)
        {
            var start = lines[index];
            if (start.Text.Length == 0)
            {
                index++;
                continue;
            }

            var fields = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            var invalid = false;
            while (true)
            {
                var (_, text, bad) = lines[index];
                invalid |= bad;
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
                        fields.Add(field.ToString());
                        field.Clear();
                    }
                    else
                    {
                        field.Append(c);
                    }
                }

                index++;
                if (!quoted || index >= lines.Count)
                {
                    break;
                }

                field.Append('\n'); // a quoted field goes on over the line break
            }

            fields.Add(field.ToString());
            records.Add(new CsvRecord(start.Number, fields, invalid));
        }

        return (delimiter, records);
    }

    private static List<(int Number, string Text, bool InvalidEncoding)> PhysicalLines(ReadOnlySpan<byte> content)
    {
        var lines = new List<(int, string, bool)>();
        var number = 0;
        while (content.Length > 0)
        {
            number++;
            var end = content.IndexOf((byte)'\n');
            var line = end < 0 ? content : content[..end];
            content = end < 0 ? [] : content[(end + 1)..];
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            try
            {
                lines.Add((number, Strict.GetString(line), false));
            }
            catch (DecoderFallbackException)
            {
                lines.Add((number, Lenient.GetString(line), true));
            }
        }

        return lines;
    }

    private static char ChooseDelimiter(string header) =>
        header.Count(c => c == ';') > header.Count(c => c == ',') ? ';' : ',';
}
