using Recouvrement.Api.Webhooks;
using Recouvrement.Messaging;

namespace Recouvrement.Tests.Channels;

/// <summary>SMS texts in GSM-7 within two segments, and the providers' published signature test vectors.</summary>
public class MessageTextTests
{
    private static readonly DateTimeOffset Now = Calendar.ParisTime.At(new DateOnly(2026, 11, 12), new TimeOnly(8, 0));
    private const string Link = "https://paiement.laboratoire-exemple.fr/p/bGFiby9QQVQtODgxMjF8MTc5OTk5OTk5OQ.Zm9vYmFyYmF6cXV4cXV1eGZvb2JhcmJhenF1eHF1dXhmb28";

    private static string Sms(string creditor, int cases, string language = "fr", bool later = true)
    {
        var list = Enumerable.Range(1, cases).Select(i => new MessageCase($"FAC-2026-{i:D6}", later ? 1 : 0, new DateOnly(2026, 10, 4), 42.50m, "EUR")
        {
            FirstContactAt = later ? Now.AddDays(-8) : null,
            FirstContactId = later ? "msg_a1b2c3d4e5f60718293a4b5c6d7e8f90" : null,
        }).ToList();
        return MessageComposer.Compose(new MessageInput("msg_1", Channel.Sms, ContactKind.Reminder, creditor, null, list, Link, language, new AgencyOptions(), Now)).Body;
    }

    [Theory]
    [InlineData("Laboratoire Saint-Côme", 1, "fr")]
    [InlineData("Laboratoire Saint-Côme", 4, "fr")]
    [InlineData("Clinique de l’Hôtel-Dieu « Sainte-Thérèse » et Associés Biologie Médicale Réunis", 1, "fr")]
    [InlineData("Laboratoire Saint-Côme", 1, "en")]
    public void An_sms_stays_in_gsm7_and_two_segments_and_always_carries_the_link(string creditor, int cases, string language)
    {
        var text = Sms(creditor, cases, language);
        Assert.True(Gsm7.IsEncodable(text), text);
        Assert.InRange(Gsm7.Segments(text), 1, 2);
        Assert.Contains(Link, text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_english_speaking_debtor_gets_english_texts()
    {
        Assert.Contains("is still unpaid. Further to our message R-A1B2C3D4 of 04/11/2026. Pay, ask for instalments or dispute:", Sms("Labo", 1, "en"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_later_sms_repeats_the_first_letters_reference_and_date()
    {
        Assert.Contains("Suite à notre courrier R-A1B2C3D4 du 04/11/2026", Sms("Labo", 1), StringComparison.Ordinal);
        Assert.DoesNotContain("Suite à", Sms("Labo", 1, later: false), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Réglez-la", 9, 1)]
    [InlineData("ê", 1, 1)] // UCS-2, 1 character
    public void Segments_count_septets_or_ucs2_characters(string text, int length, int segments)
    {
        Assert.Equal(length, text.Length);
        Assert.Equal(segments, Gsm7.Segments(text));
    }

    [Fact]
    public void Segment_boundaries_follow_gsm_03_38()
    {
        Assert.Equal(1, Gsm7.Segments(new string('a', 160)));
        Assert.Equal(2, Gsm7.Segments(new string('a', 161)));
        Assert.Equal(2, Gsm7.Segments(new string('a', 306)));
        Assert.Equal(3, Gsm7.Segments(new string('a', 307)));
        Assert.Equal(2, Gsm7.Segments(new string('a', 159) + "€")); // € takes two septets
        Assert.Equal(2, Gsm7.Segments(new string('a', 70) + "ê"));
        Assert.Equal("Hotel-Dieu \" Sainte-Thérèse \" l'été, ca coute", Gsm7.Transliterate("Hôtel-Dieu « Sainte-Thérèse » l’été, ça coûte"));
    }

    [Fact]
    public void Twilio_signature_matches_twilios_published_example()
    {
        var form = new Dictionary<string, string>
        {
            ["CallSid"] = "CA1234567890ABCDE", ["Caller"] = "+14158675309", ["Digits"] = "1234", ["From"] = "+14158675309", ["To"] = "+18005551212",
        };
        Assert.True(WebhookSignatures.TwilioValid("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", form, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
        Assert.True(WebhookSignatures.TwilioValid("12345", "http://MyCompany.com/myapp.php?foo=1&bar=2", form, "XY7AlKOKL6im4yWyX84gldUrtis=")); // signed with :80
        Assert.False(WebhookSignatures.TwilioValid("12345", "https://mycompany.com/myapp.php?foo=1&bar=3", form, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
        Assert.False(WebhookSignatures.TwilioValid("54321", "https://mycompany.com/myapp.php?foo=1&bar=2", form, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    }

    [Fact]
    public void Sendgrid_signature_matches_sendgrids_published_example()
    {
        const string key = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==";
        const string signature = "MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=";
        const string payload = "[{\"email\":\"hello@world.com\",\"event\":\"dropped\",\"reason\":\"Bounced Address\",\"sg_event_id\":\"ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA\",\"sg_message_id\":\"LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0\",\"smtp-id\":\"<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>\",\"timestamp\":1600112492}]\r\n";
        Assert.True(WebhookSignatures.SendGridValid(key, "1600112502", System.Text.Encoding.UTF8.GetBytes(payload), signature));
        Assert.False(WebhookSignatures.SendGridValid(key, "1600112503", System.Text.Encoding.UTF8.GetBytes(payload), signature));
        Assert.False(WebhookSignatures.SendGridValid(key, "1600112502", System.Text.Encoding.UTF8.GetBytes(payload.Replace("dropped", "delivered", StringComparison.Ordinal)), signature));
        Assert.Equal(DeliveryOutcome.Undeliverable, WebhooksApi.EmailOutcome("dropped", null, "Bounced Address"));
    }
}
