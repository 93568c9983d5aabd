using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Recouvrement.Api.Webhooks;
using Recouvrement.Channels;
using Recouvrement.Messaging;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Channels;

/// <summary>
/// What the Twilio package would change if we let it: where requests go, what a request with no answer means, how a
/// cancellation and an unreadable answer surface, and which webhook forms its validator accepts.
/// </summary>
public sealed class TwilioPackageTests : IAsyncLifetime
{
    private const string Messages = $"/2010-04-01/Accounts/{FakeProviders.TwilioAccountSid}/Messages.json";
    private FakeProviders _fake = null!;
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task InitializeAsync() => _fake = await FakeProviders.StartAsync();

    public async Task DisposeAsync()
    {
        _release.TrySetResult();
        await _fake.DisposeAsync();
    }

    private static TwilioOptions Options(string baseUrl) => new()
    {
        AccountSid = FakeProviders.TwilioAccountSid, AuthToken = FakeProviders.TwilioAuthToken, From = FakeProviders.TwilioFrom,
        BaseUrl = baseUrl, MessagesPerSecond = 0, MaxAttempts = 2, RetryBaseDelay = TimeSpan.FromMilliseconds(5),
    };

    private static TwilioSmsChannel Sender(HttpClient http, TwilioOptions options) =>
        new(new TwilioClient(http, options), options, TimeProvider.System, NullLogger<TwilioSmsChannel>.Instance);

    private static OutgoingMessage Sms() => new(
        "msg_0123456789abcdef0123456789abcdef", "lab", "PAT-1", Channel.Sms, ContactKind.Reminder, "+33612345678", null,
        "Labo Test : votre facture du 04/10/2026 (42,50 EUR, réf. FAC-1) reste impayée.", "https://pay.example.fr/p/abc",
        [new MessageCase("FAC-1", 0, new DateOnly(2026, 10, 4), 42.50m, "EUR")], DateTimeOffset.UnixEpoch);

    /// <summary>Holds every request the fake receives until the test ends.</summary>
    private void HoldAnswers() => _fake.Answer = _ =>
    {
        _release.Task.Wait(TimeSpan.FromSeconds(30));
        return null;
    };

    [Fact]
    public async Task A_request_that_times_out_leaves_the_sms_in_doubt_and_is_never_resent()
    {
        HoldAnswers();
        using var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(300) };
        var result = await Sender(http, Options(_fake.BaseAddress.ToString())).SendAsync(Sms());
        Assert.Equal((SendStatus.InDoubt, "timeout"), (result.Status, result.Code));
        Assert.Single(_fake.Twilio);
    }

    [Fact]
    public async Task A_twilio_that_cannot_be_reached_is_retried_then_the_sms_goes_back_to_its_debtor()
    {
        using var http = new HttpClient();
        var result = await Sender(http, Options($"http://127.0.0.1:{FreePort.Next()}")).SendAsync(Sms());
        Assert.Equal((SendStatus.RetryLater, "unreachable"), (result.Status, result.Code));
    }

    [Fact]
    public async Task A_cancelled_send_stops_its_request()
    {
        HoldAnswers();
        using var http = new HttpClient();
        using var cancel = new CancellationTokenSource();
        var send = Sender(http, Options(_fake.BaseAddress.ToString())).SendAsync(Sms(), cancel.Token);
        await Eventually.True(() => _fake.Twilio.Count == 1, TimeSpan.FromSeconds(10), "the request reached the fake Twilio");
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData("https://api.twilio.com", "https://api.twilio.com" + Messages)]
    [InlineData("https://API.twilio.com/", "https://api.twilio.com" + Messages)]
    [InlineData("http://egress.internal:8080/twilio/", "http://egress.internal:8080/twilio" + Messages)]
    public async Task Requests_go_to_the_configured_base_url_with_twilios_path(string baseUrl, string expected)
    {
        using var wire = new RecordingHandler(HttpStatusCode.Created, """{"sid":"SM0123456789abcdef0123456789abcdef","status":"queued"}""");
        using var http = new HttpClient(wire);
        var result = await Sender(http, Options(baseUrl)).SendAsync(Sms());
        Assert.Equal((SendStatus.Sent, "SM0123456789abcdef0123456789abcdef"), (result.Status, result.ProviderId));
        Assert.Equal(expected, Assert.Single(wire.Requests).ToString());
    }

    [Theory]
    [InlineData("<html>+33612345678 queued</html>")]
    [InlineData("")]
    public async Task An_accepted_sms_whose_answer_cannot_be_read_fails_without_quoting_it(string answer)
    {
        using var wire = new RecordingHandler(HttpStatusCode.Created, answer);
        using var http = new HttpClient(wire);
        var failure = await Assert.ThrowsAsync<InvalidDataException>(() => Sender(http, Options("https://api.twilio.com")).SendAsync(Sms()));
        Assert.DoesNotContain("33612345678", failure.ToString(), StringComparison.Ordinal);
        Assert.Single(wire.Requests);
    }

    [Fact]
    public void A_webhook_form_that_repeats_a_field_is_refused_even_when_signed()
    {
        const string url = "https://pay.example.fr/webhooks/twilio/inbound";
        KeyValuePair<string, string>[] once = [new("Body", "STOP"), new("From", "+33612345678")];
        KeyValuePair<string, string>[] twice = [.. once, new("Body", "START")];
        Assert.True(WebhookSignatures.TwilioValid(FakeProviders.TwilioAuthToken, url, once, WebhookSignatures.TwilioSign(FakeProviders.TwilioAuthToken, url, once)));
        Assert.False(WebhookSignatures.TwilioValid(FakeProviders.TwilioAuthToken, url, twice, WebhookSignatures.TwilioSign(FakeProviders.TwilioAuthToken, url, twice)));
    }

    /// <summary>Answers every request alike and keeps the address each was sent to; for what never leaves this machine.</summary>
    private sealed class RecordingHandler(HttpStatusCode status, string body) : HttpMessageHandler
    {
        public List<Uri> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request.RequestUri!);
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }
}
