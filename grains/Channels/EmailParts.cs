using System.Buffers;
using System.Globalization;
using Recouvrement.Messaging;

namespace Recouvrement.Channels;

/// <summary>
/// The two parts of an e-mail, written from a message's text into a caller's buffer without intermediate strings:
/// a burst of due cases writes one e-mail per debtor, and building each part as strings (a line at a time, encoded,
/// then replaced) was a fifth of what the silo allocated.
/// </summary>
public static class EmailParts
{
    /// <summary>The text without its heading marks (<see cref="MessageComposer.Heading"/>).</summary>
    public static void PlainText(ReadOnlySpan<char> body, IBufferWriter<char> output)
    {
        var heading = MessageComposer.Heading.AsSpan();
        while (true)
        {
            var at = body.IndexOf(heading, StringComparison.Ordinal);
            Write(output, at < 0 ? body : body[..at]);
            if (at < 0)
            {
                return;
            }

            body = body[(at + heading.Length)..];
        }
    }

    /// <summary>
    /// The text as simple HTML: one paragraph per line, an empty line as a break, headings in bold, the payment link
    /// clickable wherever it appears. Every line is HTML-encoded as <see cref="System.Net.WebUtility.HtmlEncode(string)"/>
    /// encodes it.
    /// </summary>
    public static void Html(ReadOnlySpan<char> body, string link, IBufferWriter<char> output)
    {
        Write(output, "<!doctype html><html><body style=\"font-family:sans-serif;font-size:15px;line-height:1.5\">");
        while (true)
        {
            var end = body.IndexOf('\n');
            var line = (end < 0 ? body : body[..end]).TrimEnd('\r');
            if (line.IsEmpty)
            {
                Write(output, "<br>");
            }
            else
            {
                var heading = line.StartsWith(MessageComposer.Heading, StringComparison.Ordinal);
                Write(output, heading ? "<p><strong>" : "<p style=\"margin:0\">");
                LineWithLink(heading ? line[MessageComposer.Heading.Length..] : line, link, output);
                Write(output, heading ? "</strong></p>" : "</p>");
            }

            if (end < 0)
            {
                break;
            }

            body = body[(end + 1)..];
        }

        Write(output, "</body></html>");
    }

    private static void LineWithLink(ReadOnlySpan<char> line, string link, IBufferWriter<char> output)
    {
        while (link.Length > 0 && line.IndexOf(link, StringComparison.Ordinal) is var at and >= 0)
        {
            Encode(line[..at], output);
            Write(output, "<a href=\"");
            Encode(link, output);
            Write(output, "\">");
            Encode(link, output);
            Write(output, "</a>");
            line = line[(at + link.Length)..];
        }

        Encode(line, output);
    }

    /// <summary>
    /// HTML-encodes as <see cref="System.Net.WebUtility.HtmlEncode(string)"/> does: the five markup characters by
    /// name or number, Latin-1 from U+00A0 to U+00FF and characters beyond the basic plane as decimal references, a
    /// lone surrogate as U+FFFD.
    /// </summary>
    public static void Encode(ReadOnlySpan<char> text, IBufferWriter<char> output)
    {
        while (!text.IsEmpty)
        {
            var plain = 0;
            while (plain < text.Length && !NeedsEncoding(text[plain]))
            {
                plain++;
            }

            Write(output, text[..plain]);
            text = text[plain..];
            if (text.IsEmpty)
            {
                return;
            }

            var c = text[0];
            var used = 1;
            switch (c)
            {
                case '<': Write(output, "&lt;"); break;
                case '>': Write(output, "&gt;"); break;
                case '"': Write(output, "&quot;"); break;
                case '\'': Write(output, "&#39;"); break;
                case '&': Write(output, "&amp;"); break;
                default:
                    if (char.IsSurrogate(c))
                    {
                        if (char.IsHighSurrogate(c) && text.Length > 1 && char.IsLowSurrogate(text[1]))
                        {
                            Number(char.ConvertToUtf32(c, text[1]), output);
                            used = 2;
                        }
                        else
                        {
                            Write(output, "\uFFFD");
                        }
                    }
                    else
                    {
                        Number(c, output);
                    }

                    break;
            }

            text = text[used..];
        }
    }

    private static bool NeedsEncoding(char c) =>
        c is '<' or '>' or '"' or '\'' or '&' || (c >= '\u00A0' && c <= '\u00FF') || char.IsSurrogate(c);

    private static void Number(int value, IBufferWriter<char> output)
    {
        var span = output.GetSpan(16);
        span[0] = '&';
        span[1] = '#';
        value.TryFormat(span[2..], out var digits, provider: CultureInfo.InvariantCulture);
        span[2 + digits] = ';';
        output.Advance(3 + digits);
    }

    private static void Write(IBufferWriter<char> output, ReadOnlySpan<char> text)
    {
        text.CopyTo(output.GetSpan(text.Length));
        output.Advance(text.Length);
    }
}
