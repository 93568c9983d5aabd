using System.Buffers;
using System.Net;
using System.Text;
using Recouvrement.Channels;
using Recouvrement.Messaging;

namespace Recouvrement.Tests.Channels;

/// <summary>The e-mail's plain and HTML parts, written into a buffer, say what the strings they replace said.</summary>
public class EmailPartsTests
{
    private const string Link = "https://paiement.exemple.fr/p/bGFi?x=1&y='2'";

    [Theory]
    [InlineData("")]
    [InlineData("plain ASCII, nothing to encode")]
    [InlineData("<b>\"Tom\" & 'Jerry'</b>")]
    [InlineData("Échéance réglée à 42,50 € — « merci » ; ÿ ¡ ¿ \u00A0 \u202F")]
    [InlineData("emoji 😀 and a lone high \uD83D surrogate, a lone low \uDE00 one, and one at the end \uD83D")]
    [InlineData("\uDE00\uD83D")]
    public void A_line_is_encoded_as_webutility_encodes_it(string text)
    {
        Assert.Equal(WebUtility.HtmlEncode(text), Encoded(text));
    }

    [Fact]
    public void Random_text_is_encoded_as_webutility_encodes_it()
    {
        var palette = "aZ09 .,;:<>\"'&#\r\n\t\u00A0\u00E9\u00FF\u0100\u20AC\u202F\uD83D\uDE00\uFFFD\u007F\u009F".ToCharArray();
        var random = new Random(20261124);
        for (var i = 0; i < 2_000; i++)
        {
            var text = new string(Enumerable.Range(0, random.Next(0, 40)).Select(_ => palette[random.Next(palette.Length)]).ToArray());
            Assert.Equal(WebUtility.HtmlEncode(text), Encoded(text));
        }
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public void The_html_part_is_the_text_as_paragraphs_with_the_link_clickable(string body)
    {
        var output = new ArrayBufferWriter<char>();
        EmailParts.Html(body, Link, output);
        Assert.Equal(HtmlAsStrings(body, Link), new string(output.WrittenSpan));
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public void The_plain_part_is_the_text_without_its_heading_marks(string body)
    {
        var output = new ArrayBufferWriter<char>();
        EmailParts.PlainText(body, output);
        Assert.Equal(body.Replace(MessageComposer.Heading, string.Empty, StringComparison.Ordinal), new string(output.WrittenSpan));
    }

    [Fact]
    public void A_real_letter_keeps_its_link_clickable_and_its_headings_bold()
    {
        var body = Letter();
        var output = new ArrayBufferWriter<char>();
        EmailParts.Html(body, Link, output);
        var html = new string(output.WrittenSpan);
        var link = WebUtility.HtmlEncode(Link);
        Assert.Contains($"<a href=\"{link}\">{link}</a>", html, StringComparison.Ordinal);
        Assert.Contains("<p><strong>Total à régler".Replace("à", "&#224;").Replace("é", "&#233;"), html, StringComparison.Ordinal);
        Assert.DoesNotContain(MessageComposer.Heading, html, StringComparison.Ordinal);
    }

    public static TheoryData<string> Bodies() => new()
    {
        Letter(),
        "",
        "\n",
        "one line, no end",
        "## A heading with the link " + Link + " and again " + Link + "\r\nnext & last\r\n",
        "a line\n\n\n## \nmid-line ## mark stays out of the html\n" + Link,
        "CRLF only\r\n\r\n",
    };

    private static string Letter()
    {
        var now = Calendar.ParisTime.At(new DateOnly(2026, 11, 12), new TimeOnly(8, 0));
        var cases = new List<MessageCase> { new("FAC-2026-000001", 1, new DateOnly(2026, 10, 4), 42.50m, "EUR") { FirstContactAt = now.AddDays(-8), FirstContactId = "msg_a1b2c3d4e5f60718293a4b5c6d7e8f90" } };
        return MessageComposer.Compose(new MessageInput("msg_0123456789abcdef0123456789abcdef", Channel.Email, ContactKind.Reminder, "Laboratoire <Saint-Côme> & Fils", null, cases, Link, "fr", new AgencyOptions(), now)).Body;
    }

    private static string Encoded(string text)
    {
        var output = new ArrayBufferWriter<char>();
        EmailParts.Encode(text, output);
        return new string(output.WrittenSpan);
    }

    /// <summary>How the HTML part was built before it was written into a buffer: the reference it must still match.</summary>
    private static string HtmlAsStrings(string body, string paymentLink)
    {
        var link = WebUtility.HtmlEncode(paymentLink);
        var anchor = $"<a href=\"{link}\">{link}</a>";
        var html = new StringBuilder("<!doctype html><html><body style=\"font-family:sans-serif;font-size:15px;line-height:1.5\">");
        foreach (var line in body.Split('\n'))
        {
            var text = line.TrimEnd('\r');
            if (text.Length == 0)
            {
                html.Append("<br>");
                continue;
            }

            var heading = text.StartsWith(MessageComposer.Heading, StringComparison.Ordinal);
            var encoded = WebUtility.HtmlEncode(heading ? text[MessageComposer.Heading.Length..] : text).Replace(link, anchor, StringComparison.Ordinal);
            html.Append(heading ? "<p><strong>" : "<p style=\"margin:0\">").Append(encoded).Append(heading ? "</strong></p>" : "</p>");
        }

        return html.Append("</body></html>").ToString();
    }
}
