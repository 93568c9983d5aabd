using System.Net;
using Recouvrement.Tests.Domain;
using Recouvrement.Tests.Support;
using static Recouvrement.Tests.Support.FakeClockCluster;

namespace Recouvrement.Tests.Channels;

/// <summary>
/// The whole loop on a fake clock: the engine sends through fake SendGrid and Twilio servers over HTTP, the
/// providers' signed webhooks come back over HTTP, and the next messages change channel accordingly.
/// </summary>
public sealed class ChannelFeedbackTests : IAsyncLifetime
{
    private const string Creditor = "labo";
    private const string Phone = "+33612345678";
    private const string Email = "marie.durand@example.org";
    private static readonly DateOnly DueOn = new(2026, 11, 3);
    private FakeProviders _providers = null!;
    private FakeClockCluster _cluster = null!;
    private WebhookApi _api = null!;

    public async Task InitializeAsync()
    {
        _providers = await FakeProviders.StartAsync();
        var apiPort = FreePort.Next();
        _cluster = await StartAsync(Paris(2026, 11, 3, 10), _providers.EngineSettings(new Uri($"http://127.0.0.1:{apiPort}")));
        _api = await WebhookApi.StartAsync(_cluster.Grains, apiPort);
        await _cluster.CreateCase(Creditor, Drafts.Case(dueOn: DueOn));
        await _cluster.RunUntil(Paris(2026, 11, 4, 7)); // the case stepped at 00:00; the window opens at 08:00
    }

    /// <summary>D+1's window: one e-mail and one SMS.</summary>
    private async Task FirstContact()
    {
        await _cluster.RunUntil(Paris(2026, 11, 4, 12));
        Assert.Single(_providers.SendGrid);
        Assert.Single(_providers.Twilio);
    }

    private static Dictionary<string, string> Reply(string body) => new()
    {
        ["MessageSid"] = "SM99", ["AccountSid"] = FakeProviders.TwilioAccountSid, ["From"] = Phone, ["To"] = FakeProviders.TwilioFrom,
        ["Body"] = body, ["OptOutType"] = body.ToUpperInvariant(), ["NumMedia"] = "0",
    };

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _cluster.DisposeAsync();
        await _providers.DisposeAsync();
    }

    private async Task<DebtorView> Debtor() => (await _cluster.Debtor(Creditor, "PAT-1").Get())!;

    private static string Status(DebtorView debtor, Channel channel) => debtor.ContactPoints.Single(p => p.Channel == channel).Status;

    private string MessageId(Channel channel) => _cluster.Channel.Messages.First(m => m.Channel == channel).MessageId;

    [Fact]
    public async Task A_hard_bounce_disables_the_address_and_the_next_email_goes_by_sms()
    {
        await FirstContact();
        var bounce = $$"""
            [{"email":"{{Email}}","timestamp":1795000000,"event":"bounce","type":"bounce","status":"5.1.1","reason":"550 5.1.1 user unknown","bounce_classification":"Invalid Address","sg_event_id":"ZXZ0LTE","sg_message_id":"sg-000001.filter","message_id":"{{MessageId(Channel.Email)}}","debtor":"{{Creditor}}/PAT-1"}]
            """;
        using var forged = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        Assert.Equal(HttpStatusCode.Forbidden, (await _api.PostSendGrid(bounce, signer: forged)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _api.PostSendGrid(bounce, at: DateTimeOffset.UtcNow.AddHours(-1))).StatusCode); // stale
        Assert.Equal("active", Status(await Debtor(), Channel.Email));

        Assert.Equal(HttpStatusCode.NoContent, (await _api.PostSendGrid(bounce)).StatusCode);
        var debtor = await Debtor();
        Assert.Equal("disabled", Status(debtor, Channel.Email));
        Assert.StartsWith("hard_bounce", debtor.ContactPoints.Single(p => p.Channel == Channel.Email).Reason, StringComparison.Ordinal);
        Assert.Equal(ContactStatus.Bounced, debtor.ContactLog.Single(e => e.Channel == Channel.Email).Status);

        await _cluster.RunUntil(Paris(2026, 11, 19, 12)); // D+8 asks for SMS, D+15 for e-mail
        Assert.Single(_providers.SendGrid);
        Assert.Equal(3, _providers.Twilio.Count);
        var last = _cluster.Channel.Messages[^1];
        Assert.Equal((Channel.Sms, "2026-11-18"), (last.Channel, Calendar.ParisTime.DateOf(last.CreatedAt).ToString("yyyy-MM-dd", null)));
    }

    [Fact]
    public async Task A_debtor_who_replied_stop_gets_no_sms_until_start()
    {
        await FirstContact();
        var stop = Reply("Stop");
        Assert.Equal(HttpStatusCode.Forbidden, (await _api.PostTwilio("/webhooks/twilio/inbound", stop, token: "not-the-token")).StatusCode);
        Assert.Equal("active", Status(await Debtor(), Channel.Sms));

        Assert.Equal(HttpStatusCode.OK, (await _api.PostTwilio("/webhooks/twilio/inbound", stop)).StatusCode);
        Assert.Equal("opted_out", Status(await Debtor(), Channel.Sms));

        await _cluster.RunUntil(Paris(2026, 11, 19, 12)); // D+8 asks for SMS: it goes by e-mail instead
        Assert.Single(_providers.Twilio);
        Assert.Equal(3, _providers.SendGrid.Count);

        var start = Reply("START");
        Assert.Equal(HttpStatusCode.OK, (await _api.PostTwilio("/webhooks/twilio/inbound", start)).StatusCode);
        Assert.Equal("active", Status(await Debtor(), Channel.Sms));
    }

    [Fact]
    public async Task A_stop_sent_before_the_first_sms_reaches_the_debtor_planned_to_get_it()
    {
        // The phone was registered when the case stepped and planned an SMS, before any was sent.
        Assert.Empty(_providers.Twilio);
        Assert.Equal([GrainKeys.Compose(Creditor, "PAT-1")], await _cluster.Grains.GetGrain<IPhoneNumberGrain>(Phone).Debtors());

        Assert.Equal(HttpStatusCode.OK, (await _api.PostTwilio("/webhooks/twilio/inbound", Reply("STOP"))).StatusCode);
        Assert.Equal("opted_out", Status(await Debtor(), Channel.Sms));

        await _cluster.RunUntil(Paris(2026, 11, 4, 12)); // the window's message goes by e-mail only
        Assert.Empty(_providers.Twilio);
        Assert.Single(_providers.SendGrid);
    }

    [Fact]
    public async Task A_status_callback_for_a_dead_number_disables_it_and_the_next_sms_goes_by_email()
    {
        await FirstContact();
        var callback = new Uri(_providers.Twilio[0].Form["StatusCallback"]);
        var failed = new Dictionary<string, string>
        {
            ["MessageSid"] = "SM00000000000000000000000000000002", ["MessageStatus"] = "undelivered", ["SmsStatus"] = "undelivered",
            ["ErrorCode"] = "30005", ["AccountSid"] = FakeProviders.TwilioAccountSid, ["From"] = FakeProviders.TwilioFrom, ["To"] = Phone, ["ApiVersion"] = "2010-04-01",
        };
        var altered = new Dictionary<string, string>(failed) { ["ErrorCode"] = "30003" };
        using (var client = _api.Client())
        {
            // Signed for one body, sent with another: rejected.
            using var request = new HttpRequestMessage(HttpMethod.Post, callback.PathAndQuery) { Content = new FormUrlEncodedContent(altered) };
            request.Headers.Add("X-Twilio-Signature", Recouvrement.Api.Webhooks.WebhookSignatures.TwilioSign(FakeProviders.TwilioAuthToken, callback.ToString(), failed));
            Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(request)).StatusCode);
        }

        Assert.Equal("active", Status(await Debtor(), Channel.Sms));
        Assert.Equal(HttpStatusCode.NoContent, (await _api.PostTwilio(callback.PathAndQuery, failed)).StatusCode);
        var debtor = await Debtor();
        Assert.Equal("disabled", Status(debtor, Channel.Sms));
        Assert.Equal(ContactStatus.Failed, debtor.ContactLog.Single(e => e.Channel == Channel.Sms).Status);

        await _cluster.RunUntil(Paris(2026, 11, 13, 12)); // D+8 asks for SMS
        Assert.Single(_providers.Twilio);
        Assert.Equal(2, _providers.SendGrid.Count);
    }

    [Fact]
    public async Task A_crash_between_handing_over_and_recording_never_sends_the_same_message_twice()
    {
        await FirstContact();
        // D+8: Twilio accepts the SMS, then the silo "dies" before the answer is written.
        _cluster.Channel.AfterSend = (message, result) =>
            message.Channel == Channel.Sms && message.Cases[0].Stage == 1 ? throw new InvalidOperationException("simulated crash after the provider accepted") : result;
        await _cluster.RunUntil(Paris(2026, 11, 12, 9));
        _cluster.Channel.AfterSend = null;
        Assert.Equal(2, _providers.Twilio.Count);

        await _cluster.RunUntil(Paris(2026, 11, 13, 12)); // the dispatch reminder ticks again 30 minutes later
        Assert.Equal(2, _providers.Twilio.Count);
        var debtor = await Debtor();
        var doubt = debtor.ContactLog.Single(e => e.Status == ContactStatus.InDoubt);
        Assert.Equal(Channel.Sms, doubt.Channel);
        Assert.Null(debtor.NextContactAt);
        var history = (await _cluster.Case(Creditor, "FAC-1").Get())!.History;
        Assert.Contains(history, e => e.Kind == "contacted" && e.Detail!.Contains(doubt.MessageId, StringComparison.Ordinal));

        // Twilio's callback then confirms it went out.
        var callback = new Uri(_providers.Twilio[1].Form["StatusCallback"]);
        var delivered = new Dictionary<string, string> { ["MessageSid"] = "SM2", ["MessageStatus"] = "delivered", ["AccountSid"] = FakeProviders.TwilioAccountSid };
        Assert.Equal(HttpStatusCode.NoContent, (await _api.PostTwilio(callback.PathAndQuery, delivered)).StatusCode);
        Assert.Equal(ContactStatus.Delivered, (await Debtor()).ContactLog.Single(e => e.MessageId == doubt.MessageId).Status);
    }
}
