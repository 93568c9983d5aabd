using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Recouvrement.Channels;
using Recouvrement.Messaging;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Channels;

/// <summary>The SendGrid and Twilio senders against local fake servers over real HTTP: exact requests, real error bodies.</summary>
public sealed class ProviderChannelTests : IAsyncLifetime
{
    private FakeProviders _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeProviders.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private TwilioSmsChannel Twilio(Action<TwilioOptions>? change = null)
    {
        var options = new TwilioOptions
        {
            AccountSid = FakeProviders.TwilioAccountSid, AuthToken = FakeProviders.TwilioAuthToken, From = FakeProviders.TwilioFrom,
            BaseUrl = _fake.BaseAddress.ToString(), WebhookBaseUrl = "https://pay.example.fr", MessagesPerSecond = 0, RetryBaseDelay = TimeSpan.FromMilliseconds(5),
        };
        change?.Invoke(options);
        return new TwilioSmsChannel(new TwilioClient(new HttpClient(), options), options, TimeProvider.System, NullLogger<TwilioSmsChannel>.Instance);
    }

    private SendGridEmailChannel SendGrid() => new(new HttpClient(), new SendGridOptions
    {
        ApiKey = FakeProviders.SendGridApiKey, BaseUrl = _fake.BaseAddress.ToString().TrimEnd('/'), FromEmail = "relances@labo-test.fr", FromName = "Labo Test",
        MessagesPerSecond = 0, RetryBaseDelay = TimeSpan.FromMilliseconds(5),
    }, TimeProvider.System, NullLogger<SendGridEmailChannel>.Instance);

    private static OutgoingMessage Message(Channel channel, string recipient) => new(
        "msg_0123456789abcdef0123456789abcdef", "lab", "PAT-1", channel, ContactKind.Reminder, recipient,
        channel == Channel.Email ? "Votre facture Labo Test du 04/10/2026 reste impayée" : null,
        "Labo Test : votre facture du 04/10/2026 (42,50 EUR, réf. FAC-1) reste impayée. Payer : https://pay.example.fr/p/abc",
        "https://pay.example.fr/p/abc", [new MessageCase("FAC-1", 0, new DateOnly(2026, 10, 4), 42.50m, "EUR")], DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task An_sms_is_the_form_post_twilio_expects_and_keeps_twilios_sid()
    {
        var result = await Twilio().SendAsync(Message(Channel.Sms, "06 12 34 56 78"));

        Assert.Equal(SendStatus.Sent, result.Status);
        var request = Assert.Single(_fake.Twilio);
        Assert.Equal($"/2010-04-01/Accounts/{FakeProviders.TwilioAccountSid}/Messages.json", request.Path);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{FakeProviders.TwilioAccountSid}:{FakeProviders.TwilioAuthToken}")), request.Authorization);
        Assert.StartsWith("application/x-www-form-urlencoded", request.ContentType, StringComparison.Ordinal);
        Assert.Equal(["Body", "From", "StatusCallback", "To"], request.Form.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("+33612345678", request.Form["To"]);
        Assert.Equal(FakeProviders.TwilioFrom, request.Form["From"]);
        Assert.Equal("https://pay.example.fr/webhooks/twilio/status?debtor=lab%2FPAT-1&message=msg_0123456789abcdef0123456789abcdef", request.Form["StatusCallback"]);
        Assert.StartsWith("SM", result.ProviderId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_messaging_service_replaces_the_sender_number()
    {
        await Twilio(o => o.MessagingServiceSid = "MG0123456789abcdef0123456789abcdef").SendAsync(Message(Channel.Sms, "+33612345678"));
        var form = Assert.Single(_fake.Twilio).Form;
        Assert.Equal("MG0123456789abcdef0123456789abcdef", form["MessagingServiceSid"]);
        Assert.False(form.ContainsKey("From"));
    }

    [Theory]
    [InlineData(21211, "The 'To' number +33612345678 is not a valid phone number.", DeliveryOutcome.Undeliverable)]
    [InlineData(21614, "'To' number is not a valid mobile number", DeliveryOutcome.NotMobile)]
    [InlineData(21610, "Attempt to send to unsubscribed recipient", DeliveryOutcome.OptedOut)]
    public async Task Twilio_errors_about_the_number_become_outcomes_for_the_contact_point(int code, string message, DeliveryOutcome expected)
    {
        _fake.Answer = _ => FakeProviders.TwilioError(code, message);
        var result = await Twilio().SendAsync(Message(Channel.Sms, "+33612345678"));
        Assert.Equal((SendStatus.Rejected, expected, code.ToString(System.Globalization.CultureInfo.InvariantCulture)), (result.Status, result.Problem!.Value, result.Code));
        Assert.Single(_fake.Twilio); // never retried
    }

    [Fact]
    public async Task Twilio_too_many_requests_is_retried_until_accepted()
    {
        var calls = 0;
        _fake.Answer = _ => ++calls <= 2 ? FakeProviders.TwilioError(20429, "Too Many Requests", 429) : null;
        var result = await Twilio().SendAsync(Message(Channel.Sms, "+33612345678"));
        Assert.Equal(SendStatus.Sent, result.Status);
        Assert.Equal(3, _fake.Twilio.Count);
    }

    [Fact]
    public async Task A_provider_down_that_says_when_to_come_back_hands_the_message_back_after_the_allowed_attempts()
    {
        _fake.Answer = _ => new ProviderAnswer(503, string.Empty, new Dictionary<string, string> { ["Retry-After"] = "0" });
        var result = await Twilio(o => o.MaxAttempts = 3).SendAsync(Message(Channel.Sms, "+33612345678"));
        Assert.Equal((SendStatus.RetryLater, "http_503"), (result.Status, result.Code));
        Assert.Equal(3, _fake.Twilio.Count);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task A_server_error_that_may_hide_an_accepted_sms_leaves_it_in_doubt_and_never_resends_it(int status)
    {
        _fake.Answer = _ => new ProviderAnswer(status, string.Empty);
        var result = await Twilio(o => o.MaxAttempts = 3).SendAsync(Message(Channel.Sms, "+33612345678"));
        Assert.Equal((SendStatus.InDoubt, $"http_{status}"), (result.Status, result.Code));
        Assert.Single(_fake.Twilio);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(504)]
    public async Task A_server_error_that_may_hide_an_accepted_email_leaves_it_in_doubt_and_never_resends_it(int status)
    {
        _fake.Answer = _ => new ProviderAnswer(status, string.Empty);
        var result = await SendGrid().SendAsync(Message(Channel.Email, "marie.durand@example.org"));
        Assert.Equal((SendStatus.InDoubt, $"http_{status}"), (result.Status, result.Code));
        Assert.Single(_fake.SendGrid);
    }

    [Fact]
    public async Task A_retry_after_longer_than_allowed_goes_back_to_the_debtor_at_once()
    {
        _fake.Answer = _ => FakeProviders.TwilioError(20429, "Too Many Requests", 429, new Dictionary<string, string> { ["Retry-After"] = "600" });
        var result = await Twilio().SendAsync(Message(Channel.Sms, "+33612345678"));
        Assert.Equal((SendStatus.RetryLater, TimeSpan.FromMinutes(10)), (result.Status, result.RetryAfter));
        Assert.Single(_fake.Twilio);
    }

    [Fact]
    public async Task A_landline_or_a_non_number_never_reaches_twilio()
    {
        Assert.Equal(DeliveryOutcome.NotMobile, (await Twilio().SendAsync(Message(Channel.Sms, "+33142345678"))).Problem);
        Assert.Equal(DeliveryOutcome.Undeliverable, (await Twilio().SendAsync(Message(Channel.Sms, "+331"))).Problem);
        Assert.Empty(_fake.Twilio);
    }

    [Fact]
    public async Task An_email_is_the_mail_send_request_sendgrid_expects_with_our_ids_as_custom_args()
    {
        var result = await SendGrid().SendAsync(Message(Channel.Email, "marie.durand@example.org"));

        Assert.Equal((SendStatus.Sent, "sg-000001"), (result.Status, result.ProviderId));
        var request = Assert.Single(_fake.SendGrid);
        Assert.Equal("/v3/mail/send", request.Path);
        Assert.Equal("Bearer " + FakeProviders.SendGridApiKey, request.Authorization);
        Assert.Equal("application/json", request.ContentType); // as the package sends it: no charset
        var mail = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("marie.durand@example.org", mail.GetProperty("personalizations")[0].GetProperty("to")[0].GetProperty("email").GetString());
        Assert.Equal("relances@labo-test.fr", mail.GetProperty("from").GetProperty("email").GetString());
        Assert.Equal("Labo Test", mail.GetProperty("from").GetProperty("name").GetString());
        Assert.Equal("Votre facture Labo Test du 04/10/2026 reste impayée", mail.GetProperty("subject").GetString());
        Assert.Equal(["text/plain", "text/html"], mail.GetProperty("content").EnumerateArray().Select(c => c.GetProperty("type").GetString()));
        Assert.Equal(["recouvrement", "reminder"], mail.GetProperty("categories").EnumerateArray().Select(c => c.GetString()));
        var args = mail.GetProperty("personalizations")[0].GetProperty("custom_args"); // SendGrid echoes them in every event
        Assert.Equal("msg_0123456789abcdef0123456789abcdef", args.GetProperty("message_id").GetString());
        Assert.Equal("lab/PAT-1", args.GetProperty("debtor").GetString());
        Assert.Contains("<a href=\"https://pay.example.fr/p/abc\">", mail.GetProperty("content")[1].GetProperty("value").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Successive_bodies_on_one_thread_share_nothing_but_their_buffers()
    {
        var channel = SendGrid();
        var longer = Message(Channel.Email, "marie.durand@example.org") with { Body = string.Concat(Enumerable.Repeat("Une ligne assez longue & accentuée.\n", 400)) };
        var shorter = Message(Channel.Email, "paul.martin@example.org") with { MessageId = "msg_fedcba9876543210fedcba9876543210" };

        var first = JsonDocument.Parse(channel.MailSendBody(longer)).RootElement;
        var second = JsonDocument.Parse(channel.MailSendBody(shorter)).RootElement;

        Assert.Equal("marie.durand@example.org", first.GetProperty("personalizations")[0].GetProperty("to")[0].GetProperty("email").GetString());
        Assert.Equal("paul.martin@example.org", second.GetProperty("personalizations")[0].GetProperty("to")[0].GetProperty("email").GetString());
        Assert.Equal("msg_fedcba9876543210fedcba9876543210", second.GetProperty("personalizations")[0].GetProperty("custom_args").GetProperty("message_id").GetString());
        Assert.Equal(shorter.Body, second.GetProperty("content")[0].GetProperty("value").GetString());
        Assert.DoesNotContain("accentu", second.GetProperty("content")[1].GetProperty("value").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sendgrid_errors_become_outcomes()
    {
        _fake.Answer = _ => FakeProviders.SendGridError(400, "Does not contain a valid address.", "personalizations.0.to.0.email");
        Assert.Equal((SendStatus.Rejected, DeliveryOutcome.Undeliverable), Outcome(await SendGrid().SendAsync(Message(Channel.Email, "marie.durand@example.org"))));

        _fake.Answer = _ => FakeProviders.SendGridError(401, "The provided authorization grant is invalid, expired, or revoked");
        Assert.Equal(SendStatus.RetryLater, (await SendGrid().SendAsync(Message(Channel.Email, "marie.durand@example.org"))).Status);

        var calls = 0;
        _fake.Answer = _ => ++calls == 1 ? FakeProviders.SendGridError(429, "too many requests") : null;
        Assert.Equal(SendStatus.Sent, (await SendGrid().SendAsync(Message(Channel.Email, "marie.durand@example.org"))).Status);
        Assert.Equal(1 + 4 + 2, _fake.SendGrid.Count); // 400 once; 401 tried four times; 429 then 202
    }

    private static (SendStatus, DeliveryOutcome?) Outcome(SendResult result) => (result.Status, result.Problem);

    [Fact]
    public async Task The_gate_paces_requests_to_the_configured_rate()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var gate = new ProviderGate(new TwilioOptions { MessagesPerSecond = 2 }, clock);
        var started = new List<TimeSpan>();
        var sends = Enumerable.Range(0, 3).Select(_ => gate.RunAsync(_ =>
        {
            lock (started)
            {
                started.Add(clock.GetUtcNow() - DateTimeOffset.UnixEpoch);
            }

            return Task.FromResult(SendResult.Sent("x"));
        }, CancellationToken.None)).ToList();

        Assert.Single(started); // the first goes at once, the others wait for their slot
        clock.Advance(TimeSpan.FromMilliseconds(500));
        await sends[1];
        clock.Advance(TimeSpan.FromMilliseconds(500));
        await Task.WhenAll(sends);
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1)], started);
    }
}
