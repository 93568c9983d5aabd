using System.Net;
using System.Text;
using Recouvrement.Webhooks;

namespace Recouvrement.Tests.Domain;

/// <summary>The webhooks' rules without a cluster: retries and disabling, refused addresses, the signature.</summary>
public sealed class WebhookRulesTests
{
    private static readonly CreditorWebhookOptions Defaults = new();
    private static readonly DateTimeOffset T0 = new(2026, 11, 3, 9, 0, 0, TimeSpan.Zero);

    private static WebhookDeliveryState Open() => new()
    {
        Subscription = new WebhookSubscription("wh_1", "lab", "https://example.org/hook", ["*"], "sealed", T0),
        Position = new LogPosition(0, 10),
    };

    private static WebhookAttempt Attempt(string eventId, long position, bool delivered, DateTimeOffset at, TimeSpan? retryAfter = null) =>
        new(eventId, "case.created", new LogPosition(0, position), delivered, delivered ? 200 : 503, delivered ? null : "HTTP 503 Service Unavailable",
            TimeSpan.FromMilliseconds(12), at, retryAfter);

    [Fact]
    public void A_page_delivered_whole_moves_the_cursor_to_its_last_event_whatever_order_the_attempts_came_back_in()
    {
        var attempts = new[] { Attempt("evt_c", 14, true, T0), Attempt("evt_a", 11, true, T0), Attempt("evt_b", 12, true, T0) };
        var state = WebhookDecisions.RecordPage(Open(), attempts, new LogPosition(0, 20), T0, Defaults);
        Assert.Equal(new LogPosition(0, 20), state.Position);
        Assert.Null(state.Failing);
        Assert.Equal(["evt_c", "evt_b", "evt_a"], state.Deliveries.Select(d => d.EventId));
    }

    [Fact]
    public void In_a_page_the_cursor_stops_before_the_first_failure_in_log_order_and_later_deliveries_are_only_logged()
    {
        // evt_b (another case) failed; evt_c, delivered, comes after it in the log and will be delivered again after it.
        var attempts = new[] { Attempt("evt_c", 14, true, T0), Attempt("evt_b", 12, false, T0), Attempt("evt_a", 11, true, T0) };
        var state = WebhookDecisions.RecordPage(Open(), attempts, new LogPosition(0, 20), T0, Defaults);
        Assert.Equal(new LogPosition(0, 11), state.Position);
        Assert.Equal(new FailingEvent("evt_b", 1, T0, T0.AddSeconds(5)), state.Failing);
        Assert.Equal(["evt_c", "evt_b", "evt_a"], state.Deliveries.Select(d => d.EventId));
        Assert.False(WebhookDecisions.MayDeliver(state, T0.AddSeconds(1)));
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(10, 2560)]
    [InlineData(11, 3600)]
    [InlineData(500, 3600)]
    public void Retries_wait_from_five_seconds_doubling_up_to_an_hour(int failures, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), WebhookDecisions.RetryDelay(failures, null, Defaults));

    [Theory]
    [InlineData(120, 120)]
    [InlineData(0, 1)]
    [InlineData(86_400, 3600)]
    public void A_retry_after_is_honoured_within_a_second_and_the_longest_wait(int asked, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), WebhookDecisions.RetryDelay(1, TimeSpan.FromSeconds(asked), Defaults));

    [Fact]
    public void A_failure_keeps_the_cursor_and_the_same_event_is_numbered_as_its_next_attempt()
    {
        var failed = WebhookDecisions.Record(Open(), Attempt("evt_a", 11, false, T0), T0, Defaults);
        Assert.Equal(new LogPosition(0, 10), failed.Position);
        Assert.Equal(new FailingEvent("evt_a", 1, T0, T0.AddSeconds(5)), failed.Failing);
        Assert.False(WebhookDecisions.MayDeliver(failed, T0.AddSeconds(4)));
        Assert.True(WebhookDecisions.MayDeliver(failed, T0.AddSeconds(5)));

        var again = WebhookDecisions.Record(failed, Attempt("evt_a", 11, false, T0.AddSeconds(5)), T0.AddSeconds(5), Defaults);
        Assert.Equal(new FailingEvent("evt_a", 2, T0, T0.AddSeconds(15)), again.Failing);

        var delivered = WebhookDecisions.Record(again, Attempt("evt_a", 11, true, T0.AddSeconds(15)), T0.AddSeconds(15), Defaults);
        Assert.Equal(new LogPosition(0, 11), delivered.Position);
        Assert.Null(delivered.Failing);
        Assert.Equal([3, 2, 1], delivered.Deliveries.Select(d => d.Attempt));
        Assert.Equal([200, 503, 503], delivered.Deliveries.Select(d => d.HttpStatus ?? 0));

        var next = WebhookDecisions.Record(delivered, Attempt("evt_b", 12, false, T0.AddSeconds(16)), T0.AddSeconds(16), Defaults);
        Assert.Equal(1, next.Deliveries[0].Attempt);
    }

    [Fact]
    public void An_event_failing_for_three_days_disables_the_subscription_and_says_why()
    {
        var state = WebhookDecisions.Record(Open(), Attempt("evt_a", 11, false, T0), T0, Defaults);
        var almost = T0.AddDays(3).AddSeconds(-1);
        state = WebhookDecisions.Record(state, Attempt("evt_a", 11, false, almost), almost, Defaults);
        Assert.Equal(WebhookStatus.Active, WebhookDecisions.View(state)!.Status);
        Assert.Equal(almost.AddSeconds(10), state.Failing!.NextAttemptAt);

        var disabled = WebhookDecisions.Record(state, Attempt("evt_a", 11, false, T0.AddDays(3)), T0.AddDays(3), Defaults);
        var view = WebhookDecisions.View(disabled)!;
        Assert.Equal((WebhookStatus.Disabled, T0.AddDays(3)), (view.Status, view.DisabledAt));
        Assert.Equal("event evt_a (case.created) failed for 3 days, 3 attempts; the last: HTTP 503 Service Unavailable", view.DisabledReason);
        Assert.False(WebhookDecisions.MayDeliver(disabled, T0.AddDays(4)));
        Assert.Equal(new LogPosition(0, 10), disabled.Position);
    }

    [Fact]
    public void The_deliveries_log_keeps_the_last_attempts_only()
    {
        var options = new CreditorWebhookOptions { DeliveryLogSize = 3 };
        var state = Open();
        for (var i = 1; i <= 5; i++)
        {
            state = WebhookDecisions.Record(state, Attempt($"evt_{i}", 10 + i, true, T0.AddSeconds(i)), T0.AddSeconds(i), options);
        }

        Assert.Equal(["evt_5", "evt_4", "evt_3"], state.Deliveries.Select(d => d.EventId));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.5.4")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("ff02::1")]
    [InlineData("2001:db8::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("64:ff9b::a00:1")]
    [InlineData("2002:a00:1::1")]
    public void Private_loopback_link_local_and_reserved_addresses_are_refused(string address) =>
        Assert.False(WebhookTargets.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("93.184.216.34")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:808:808::1")]
    public void Public_addresses_are_accepted(string address) =>
        Assert.True(WebhookTargets.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("http://example.org/hook", "must be https: deliveries carry signed business data")]
    [InlineData("ftp://example.org/hook", "an absolute https URL, e.g. https://example.org/recouvrement/events")]
    [InlineData("/hook", "an absolute https URL, e.g. https://example.org/recouvrement/events")]
    [InlineData("https://user:pass@example.org/hook", "no credentials in the URL: it is listed back to anyone with the API key; check the signature instead")]
    [InlineData("", "required: the https URL the events are posted to")]
    public void A_target_must_be_an_https_url_without_credentials(string url, string reason) =>
        Assert.Equal(reason, WebhookTargets.Problem(url, allowPrivateTargets: false, out _));

    [Fact]
    public void The_signature_is_hex_hmac_sha256_of_the_time_a_dot_and_the_body()
    {
        var body = Encoding.UTF8.GetBytes("""{"id":"evt_1","type":"case.paid"}""");
        Assert.Equal("t=1767225600,v1=bc1e620559c5bbf1298dfdb4ef13a44cabb42ee468b01a2e22a2ab8a0100d568",
            WebhookPayload.Signature(Encoding.UTF8.GetBytes("whsec_test-secret"), 1767225600, body));
    }

    [Fact]
    public void A_sealed_secret_opens_only_for_its_own_subscription_and_survives_a_payment_link_key_rotation()
    {
        var oldKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        var newKey = Convert.ToBase64String(Enumerable.Range(101, 32).Select(i => (byte)i).ToArray());
        var before = Secrets(new Recouvrement.Payments.PaymentLinkOptions { SigningKey = oldKey });
        var secret = WebhookSecrets.NewSecret();
        var sealedSecret = before.Seal(secret, "lab/wh_1");
        Assert.DoesNotContain(secret, sealedSecret, StringComparison.Ordinal);

        var rotated = new Recouvrement.Payments.PaymentLinkOptions { SigningKey = newKey };
        rotated.PreviousSigningKeys.Add(oldKey);
        Assert.Equal(secret, Encoding.UTF8.GetString(Secrets(rotated).Open(sealedSecret, "lab/wh_1")));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => before.Open(sealedSecret, "lab/wh_2"));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => Secrets(new() { SigningKey = newKey }).Open(sealedSecret, "lab/wh_1"));
    }

    private static WebhookSecrets Secrets(Recouvrement.Payments.PaymentLinkOptions links) =>
        new(Microsoft.Extensions.Options.Options.Create(new CreditorWebhookOptions()), Microsoft.Extensions.Options.Options.Create(links));
}
