using System.Net;
using Recouvrement.Tests.Domain;
using Recouvrement.Tests.Support;
using static Recouvrement.Tests.Support.FakeClockCluster;

namespace Recouvrement.Tests.Channels;

/// <summary>
/// A debtor's phone is registered for STOP replies when the case steps and plans an SMS, before the send window:
/// a STOP from it before the first SMS already reaches the debtor, and the window's message goes by e-mail only.
/// </summary>
public sealed class EarlyStopTests : IAsyncLifetime
{
    private const string Creditor = "labo";
    private const string Phone = "+33612345678";
    private FakeProviders _providers = null!;
    private FakeClockCluster _cluster = null!;
    private WebhookApi _api = null!;

    public async Task InitializeAsync()
    {
        _providers = await FakeProviders.StartAsync();
        var apiPort = FreePort.Next();
        _cluster = await StartAsync(Paris(2026, 11, 3, 10), _providers.EngineSettings(new Uri($"http://127.0.0.1:{apiPort}")));
        _api = await WebhookApi.StartAsync(_cluster.Grains, apiPort);
        await _cluster.CreateCase(Creditor, Drafts.Case(dueOn: new DateOnly(2026, 11, 3)));
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _cluster.DisposeAsync();
        await _providers.DisposeAsync();
    }

    [Fact]
    public async Task A_stop_sent_before_the_first_sms_reaches_the_debtor_planned_to_get_it()
    {
        await _cluster.RunUntil(Paris(2026, 11, 4, 7)); // the case stepped at 00:00; the window opens at 08:00
        Assert.Empty(_providers.Twilio);
        Assert.Equal([GrainKeys.Compose(Creditor, "PAT-1")], await _cluster.Grains.GetGrain<IPhoneNumberGrain>(Phone).Debtors());

        var stop = new Dictionary<string, string>
        {
            ["MessageSid"] = "SM98", ["AccountSid"] = FakeProviders.TwilioAccountSid, ["From"] = Phone, ["To"] = FakeProviders.TwilioFrom,
            ["Body"] = "STOP", ["OptOutType"] = "STOP", ["NumMedia"] = "0",
        };
        Assert.Equal(HttpStatusCode.OK, (await _api.PostTwilio("/webhooks/twilio/inbound", stop)).StatusCode);
        Assert.Equal("opted_out", (await _cluster.Debtor(Creditor, "PAT-1").Get())!.ContactPoints.Single(p => p.Channel == Channel.Sms).Status);

        await _cluster.RunUntil(Paris(2026, 11, 4, 12));
        Assert.Empty(_providers.Twilio);
        Assert.Single(_providers.SendGrid);
    }
}
