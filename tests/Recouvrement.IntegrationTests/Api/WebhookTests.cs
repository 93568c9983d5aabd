using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Recouvrement.Events;
using Recouvrement.Tests.Support;
using Recouvrement.Webhooks;

namespace Recouvrement.Tests.Api;

/// <summary>What every webhook test host sets: local receivers allowed, quick retries, a short timeout.</summary>
internal static class WebhookSettings
{
    public static readonly string[] Args =
    [
        "--Recouvrement:Webhooks:AllowPrivateTargets=true",
        "--Recouvrement:Webhooks:RetryBaseDelay=00:00:00.2",
        "--Recouvrement:Webhooks:Timeout=00:00:05",
    ];

    public static readonly TimeSpan Delivery = TimeSpan.FromSeconds(20);

    /// <summary>The receiver's check, exactly as <c>docs/webhooks.md</c> gives it.</summary>
    public static bool Verify(string secret, string header, byte[] body, TimeSpan tolerance)
    {
        string? t = null, v1 = null;
        foreach (var pair in header.Split(',').Select(part => part.Split('=', 2)))
        {
            if (pair is ["t", var time]) t = time;
            if (pair is ["v1", var signature]) v1 = signature;
        }
        if (!long.TryParse(t, out var seconds) || v1 is null) return false;
        if (Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds) > tolerance.TotalSeconds) return false;
        byte[] signed = [.. Encoding.ASCII.GetBytes(t + "."), .. body];
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(mac)), Encoding.ASCII.GetBytes(v1));
    }

    public static async Task<(HttpClient Api, string Creditor)> NewCreditor(EngineHost host)
    {
        using var operatorClient = host.Client(EngineHost.OperatorKey);
        var (id, key, _) = await Keys.OnboardAsync(operatorClient);
        return (host.Client(key), id);
    }

    public static object Case(string reference, string debtor) => new
    {
        reference, amount = 42.50m, issuedOn = "2026-10-01", dueOn = "2031-01-10",
        debtor = new { reference = debtor, kind = "consumer", name = "Marie Durand", email = "marie@example.org", phone = "+33612345678" },
    };

    public static async Task<(string Id, string Secret)> Subscribe(HttpClient api, string url, params string[] events)
    {
        var response = await api.PostAsJsonAsync("/api/v1/webhooks", new { url, events });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await Keys.Body(response);
        return (body["id"]!.GetValue<string>(), body["secret"]!.GetValue<string>());
    }

    public static Task<IReadOnlyList<WebhookReceiver.Request>> Received(WebhookReceiver receiver, int count, string what) =>
        Eventually.Get(() => Task.FromResult(receiver.Requests), r => r.Count >= count, Delivery, what);

    public static async Task<JsonArray> Deliveries(HttpClient api, string id) =>
        (await api.GetFromJsonAsync<JsonObject>($"/api/v1/webhooks/{id}/deliveries"))!["items"]!.AsArray();
}

public sealed class WebhookHost : EngineHost
{
    protected override IEnumerable<string> ExtraArgs => WebhookSettings.Args;
}

/// <summary>The same, on a PostgreSQL database of its own.</summary>
public sealed class DurableWebhookHost : EngineHost
{
    private PostgresDatabase? _database;

    protected override IEnumerable<string> ExtraArgs => [.. DurableArgs(_database!.ConnectionString), .. WebhookSettings.Args];

    public override async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _database!.DisposeAsync();
    }
}

/// <summary>The webhooks on the embedded default (in memory).</summary>
public sealed class EmbeddedWebhookTests(WebhookHost host) : WebhookTests(host), IClassFixture<WebhookHost>;

/// <summary>The webhooks on PostgreSQL: the log read from <c>recouvrement_events</c>, subscriptions in grain state in the database.</summary>
public sealed class DurableWebhookTests(DurableWebhookHost host) : WebhookTests(host), IClassFixture<DurableWebhookHost>;

/// <summary>
/// Signed webhooks end to end, over real HTTP to receivers on loopback ports: each creditor's events, in order,
/// signed, retried in place, one subscription never held back by another, one creditor never reaching another's.
/// </summary>
public abstract class WebhookTests(EngineHost host)
{
    [Fact]
    public async Task A_receiver_gets_a_case_s_events_created_then_paid_in_order_each_signed_and_named_by_its_id()
    {
        var (api, _) = await WebhookSettings.NewCreditor(host);
        using var _api = api;
        await using var all = await WebhookReceiver.StartAsync();
        await using var paidOnly = await WebhookReceiver.StartAsync();
        var (id, secret) = await WebhookSettings.Subscribe(api, all.Url, "*");
        var (_, paidSecret) = await WebhookSettings.Subscribe(api, paidOnly.Url, "case.paid");

        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/cases", WebhookSettings.Case("WH-1", "WH-D1"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/cases/WH-1/payments", new { amount = 42.50m, reference = "VIR-WH-1" })).StatusCode);

        var received = await WebhookSettings.Received(all, 3, "the case's three events");
        Assert.Equal(["case.created", "case.payment_received", "case.paid"], received.Select(r => r.Type));
        Assert.All(received, r =>
        {
            Assert.True(WebhookSettings.Verify(secret, r.Signature!, r.Body, TimeSpan.FromMinutes(5)), $"a valid signature on {r.Type}");
            Assert.False(WebhookSettings.Verify(paidSecret, r.Signature!, r.Body, TimeSpan.FromMinutes(5)), "another subscription's secret fails");
            Assert.Equal(r.Id, r.EventId);
            Assert.Equal("application/json; charset=utf-8", r.ContentType);
        });

        // Each body is the feed's item for that event, field for field.
        var feed = (await api.GetFromJsonAsync<JsonObject>("/api/v1/events"))!["items"]!.AsArray();
        Assert.Equal(feed.Count, received.Count);
        Assert.All(received.Zip(feed), pair => Assert.True(JsonNode.DeepEquals(pair.Second, pair.First.Json), $"{pair.First.Json.ToJsonString()} is the feed's {pair.Second!.ToJsonString()}"));

        var paid = Assert.Single(await WebhookSettings.Received(paidOnly, 1, "the paid event"));
        Assert.Equal(("case.paid", received[2].Id), (paid.Type, paid.Id));
        Assert.True(WebhookSettings.Verify(paidSecret, paid.Signature!, paid.Body, TimeSpan.FromMinutes(5)));

        var deliveries = await WebhookSettings.Deliveries(api, id);
        Assert.Equal(received.Select(r => r.Id).Reverse(), deliveries.Select(d => d!["eventId"]!.GetValue<string>()));
        Assert.All(deliveries, d => Assert.Equal((1, 200, true), (d!["attempt"]!.GetValue<int>(), d["httpStatus"]!.GetValue<int>(), d["error"] is null)));
        Assert.Equal(["case.paid", "case.payment_received", "case.created"], deliveries.Select(d => d!["type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_subscription_receives_the_events_that_occur_after_it_was_made()
    {
        var (api, _) = await WebhookSettings.NewCreditor(host);
        using var _api = api;
        await api.PostAsJsonAsync("/api/v1/cases", WebhookSettings.Case("WN-1", "WN-D1"));
        await using var receiver = await WebhookReceiver.StartAsync();
        await WebhookSettings.Subscribe(api, receiver.Url, "*");
        await api.PostAsJsonAsync("/api/v1/cases/WN-1/payments", new { amount = 42.50m, reference = "VIR-WN-1" });

        var received = await WebhookSettings.Received(receiver, 2, "the payment's two events");
        var feed = (await api.GetFromJsonAsync<JsonObject>("/api/v1/events"))!["items"]!.AsArray();
        Assert.Equal(["case.payment_received", "case.paid"], received.Select(r => r.Type));
        Assert.Equal(feed.Skip(1).Select(e => e!["id"]!.GetValue<string>()), received.Select(r => r.Id));
    }

    [Fact]
    public async Task A_receiver_answering_500_gets_the_same_event_again_then_the_next_ones_in_order()
    {
        var (api, _) = await WebhookSettings.NewCreditor(host);
        using var _api = api;
        await using var flaky = await WebhookReceiver.StartAsync(n => n == 1 ? 500 : 200);
        var (id, secret) = await WebhookSettings.Subscribe(api, flaky.Url, "*");

        await api.PostAsJsonAsync("/api/v1/cases", WebhookSettings.Case("WR-1", "WR-D1"));
        await api.PostAsJsonAsync("/api/v1/cases/WR-1/payments", new { amount = 42.50m, reference = "VIR-WR-1" });

        var received = await WebhookSettings.Received(flaky, 4, "the refused event again, then the two others");
        Assert.Equal(["case.created", "case.created", "case.payment_received", "case.paid"], received.Select(r => r.Type));
        Assert.Equal(received[0].Id, received[1].Id);
        Assert.Equal(3, received.Select(r => r.Id).Distinct().Count());
        Assert.All(received, r => Assert.True(WebhookSettings.Verify(secret, r.Signature!, r.Body, TimeSpan.FromMinutes(5))));

        var deliveries = await Eventually.Get(() => WebhookSettings.Deliveries(api, id), d => d.Count == 4, WebhookSettings.Delivery, "four attempts logged");
        Assert.Equal(
            new (string, int, int, string?)[] { ("case.paid", 1, 200, null), ("case.payment_received", 1, 200, null), ("case.created", 2, 200, null), ("case.created", 1, 500, "HTTP 500 Internal Server Error") },
            deliveries.Select(d => (d!["type"]!.GetValue<string>(), d["attempt"]!.GetValue<int>(), d["httpStatus"]!.GetValue<int>(), d["error"]?.GetValue<string>())));
        var item = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/webhooks/{id}"))!;
        Assert.Equal(("active", true, true), (item["status"]!.GetValue<string>(), item["failingSince"] is null, item["nextAttemptAt"] is null));
    }

    [Fact]
    public async Task A_receiver_that_never_answers_holds_back_no_other_subscription()
    {
        var (api, _) = await WebhookSettings.NewCreditor(host);
        using var _api = api;
        await using var dead = await WebhookReceiver.StartAsync(_ => WebhookReceiver.NoAnswer);
        await using var live = await WebhookReceiver.StartAsync();
        var (deadId, _) = await WebhookSettings.Subscribe(api, dead.Url, "*");
        await WebhookSettings.Subscribe(api, live.Url, "*");

        await api.PostAsJsonAsync("/api/v1/cases", WebhookSettings.Case("WT-1", "WT-D1"));
        await WebhookSettings.Received(dead, 1, "the dead receiver to hold the first event");
        await api.PostAsJsonAsync("/api/v1/cases/WT-1/payments", new { amount = 42.50m, reference = "VIR-WT-1" });

        var received = await WebhookSettings.Received(live, 3, "the live receiver to get every event while the other hangs");
        Assert.Equal(["case.created", "case.payment_received", "case.paid"], received.Select(r => r.Type));
        Assert.Equal((1, 1), (dead.Requests.Count, dead.Held));
        Assert.Equal(received[0].Id, dead.Requests[0].Id);

        var failed = await Eventually.Get(() => WebhookSettings.Deliveries(api, deadId), d => d.Count > 0, WebhookSettings.Delivery, "the hanging attempt to time out");
        Assert.Equal((received[0].Id, true, "no answer within 5 s"),
            (failed[^1]!["eventId"]!.GetValue<string>(), failed[^1]!["httpStatus"] is null, failed[^1]!["error"]!.GetValue<string>()));
        Assert.True(failed[^1]!["durationMs"]!.GetValue<long>() >= 4900);
    }

    [Fact]
    public async Task A_creditor_sees_reaches_and_receives_nothing_of_another_creditor_s_webhooks()
    {
        var (a, _) = await WebhookSettings.NewCreditor(host);
        var (b, _) = await WebhookSettings.NewCreditor(host);
        using var _a = a;
        using var _b = b;
        await using var receiverA = await WebhookReceiver.StartAsync();
        await using var receiverB = await WebhookReceiver.StartAsync();
        var (idA, _) = await WebhookSettings.Subscribe(a, receiverA.Url, "*");
        var (idB, _) = await WebhookSettings.Subscribe(b, receiverB.Url, "*");

        var listed = (await b.GetFromJsonAsync<JsonObject>("/api/v1/webhooks"))!["items"]!.AsArray();
        Assert.Equal([idB], listed.Select(w => w!["id"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync($"/api/v1/webhooks/{idA}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync($"/api/v1/webhooks/{idA}/deliveries")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.DeleteAsync($"/api/v1/webhooks/{idA}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync($"/api/v1/webhooks/{idA}")).StatusCode);

        await a.PostAsJsonAsync("/api/v1/cases", WebhookSettings.Case("ISO-A", "ISO-DA"));
        await WebhookSettings.Received(receiverA, 1, "A's case to reach A");
        await b.PostAsJsonAsync("/api/v1/cases", WebhookSettings.Case("ISO-B", "ISO-DB"));
        await WebhookSettings.Received(receiverB, 1, "B's case, created after A's, to reach B");

        Assert.Equal(["ISO-B"], receiverB.Requests.Select(r => r.CaseReference));
        Assert.Equal(["ISO-A"], receiverA.Requests.Select(r => r.CaseReference));
    }

    [Fact]
    public async Task The_secret_is_shown_once_and_never_listed()
    {
        var (api, _) = await WebhookSettings.NewCreditor(host);
        using var _api = api;
        await using var receiver = await WebhookReceiver.StartAsync();
        var (id, secret) = await WebhookSettings.Subscribe(api, receiver.Url, "case.created", "case.paid", "case.created");
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.True(secret.Length >= 40);

        foreach (var path in new[] { "/api/v1/webhooks", $"/api/v1/webhooks/{id}", $"/api/v1/webhooks/{id}/deliveries" })
        {
            var text = await api.GetStringAsync(path);
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain("secret", text, StringComparison.OrdinalIgnoreCase);
        }

        var item = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/webhooks/{id}"))!;
        Assert.Equal((receiver.Url, "active"), (item["url"]!.GetValue<string>(), item["status"]!.GetValue<string>()));
        Assert.Equal(["case.created", "case.paid"], item["events"]!.AsArray().Select(e => e!.GetValue<string>()));
    }

    [Fact]
    public async Task A_deleted_subscription_receives_nothing_more()
    {
        var (api, _) = await WebhookSettings.NewCreditor(host);
        using var _api = api;
        await using var gone = await WebhookReceiver.StartAsync();
        await using var kept = await WebhookReceiver.StartAsync();
        var (goneId, _) = await WebhookSettings.Subscribe(api, gone.Url, "*");
        await WebhookSettings.Subscribe(api, kept.Url, "*");
        await api.PostAsJsonAsync("/api/v1/cases", WebhookSettings.Case("WD-1", "WD-D1"));
        await WebhookSettings.Received(gone, 1, "the first event before the deletion");

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/webhooks/{goneId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/webhooks/{goneId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.DeleteAsync($"/api/v1/webhooks/{goneId}")).StatusCode);
        await api.PostAsJsonAsync("/api/v1/cases/WD-1/payments", new { amount = 42.50m, reference = "VIR-WD-1" });

        await WebhookSettings.Received(kept, 3, "the other subscription to get the payment's events");
        Assert.Equal(["case.created"], gone.Requests.Select(r => r.Type));
    }

    [Fact]
    public async Task A_creditor_holds_at_most_the_configured_number_of_subscriptions()
    {
        var (api, _) = await WebhookSettings.NewCreditor(host);
        using var _api = api;
        for (var i = 0; i < 10; i++)
        {
            await WebhookSettings.Subscribe(api, $"http://127.0.0.1:9/hook-{i}", "case.paid");
        }

        var refused = await api.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://127.0.0.1:9/hook-10", events = new[] { "case.paid" } });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var error = Assert.Single((await Keys.Body(refused))["errors"]!.AsArray())!;
        Assert.Equal(("url", "a creditor holds at most 10 webhook subscriptions: delete one first"), (error["field"]!.GetValue<string>(), error["reason"]!.GetValue<string>()));
    }
}

/// <summary>Targets inside the engine's own network are refused, at creation and again when sending.</summary>
public sealed class WebhookTargetTests(EngineHost host) : IClassFixture<EngineHost>
{
    [Theory]
    [InlineData("https://127.0.0.1:8443/hook")]
    [InlineData("https://localhost/hook")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://10.1.2.3/hook")]
    [InlineData("https://192.168.0.10/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://[fd00::1]/hook")]
    [InlineData("https://[fe80::1]/hook")]
    [InlineData("https://[::ffff:192.168.0.1]/hook")]
    public async Task A_target_in_a_private_or_loopback_range_is_refused_without_the_setting(string url)
    {
        using var api = host.Client();
        var response = await api.PostAsJsonAsync("/api/v1/webhooks", new { url, events = new[] { "*" } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single((await Keys.Body(response))["errors"]!.AsArray())!;
        Assert.Equal(("url", WebhookTargets.PrivateRefusal), (error["field"]!.GetValue<string>(), error["reason"]!.GetValue<string>()));
        Assert.Empty((await api.GetFromJsonAsync<JsonObject>("/api/v1/webhooks"))!["items"]!.AsArray());
    }

    [Fact]
    public async Task The_openapi_document_describes_the_webhook_endpoints()
    {
        using var client = host.Client(key: null);
        var paths = (await client.GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!["paths"]!.AsObject();
        Assert.Equal(("createWebhook", "listWebhooks"), (paths["/api/v1/webhooks"]!["post"]!["operationId"]!.GetValue<string>(), paths["/api/v1/webhooks"]!["get"]!["operationId"]!.GetValue<string>()));
        Assert.Equal(("getWebhook", "deleteWebhook"), (paths["/api/v1/webhooks/{id}"]!["get"]!["operationId"]!.GetValue<string>(), paths["/api/v1/webhooks/{id}"]!["delete"]!["operationId"]!.GetValue<string>()));
        var deliveries = paths["/api/v1/webhooks/{id}/deliveries"]!["get"]!;
        Assert.Equal("A subscription's last delivery attempts, newest first", deliveries["summary"]!.GetValue<string>());
        Assert.NotNull(paths["/api/v1/webhooks"]!["post"]!["responses"]!["201"]);
    }

    [Fact]
    public async Task Plain_http_unknown_types_and_missing_fields_are_named()
    {
        using var api = host.Client();
        var response = await api.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://example.org/hook", events = new[] { "case.paid", "case.nope", null } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Keys.Body(response))["errors"]!.AsArray().Select(e => (e!["field"]!.GetValue<string>(), e["reason"]!.GetValue<string>())).ToList();
        Assert.Equal(["events[1]", "events[2]", "url"], errors.Select(e => e.Item1));
        Assert.StartsWith("'case.nope' is not an event type: case.created, ", errors[0].Item2, StringComparison.Ordinal);
        Assert.Equal("must be https: deliveries carry signed business data", errors[2].Item2);

        var empty = await api.PostAsJsonAsync("/api/v1/webhooks", new { events = Array.Empty<string>() });
        var fields = (await Keys.Body(empty))["errors"]!.AsArray().Select(e => e!["field"]!.GetValue<string>());
        Assert.Equal(["events", "url"], fields);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task A_delivery_to_a_private_address_is_refused_when_connecting_so_a_host_that_moved_there_gets_nothing(string host)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var url = receiver.Url.Replace("127.0.0.1", host, StringComparison.Ordinal);
        var subscription = new WebhookSubscription("wh_t", "lab", url, ["*"], "unused", DateTimeOffset.UnixEpoch);
        var stored = new StoredEvent(new EventCursor(1, 7), new EngineEvent("evt_t", "case.created", "lab", "C-1", "D-1", DateTimeOffset.UnixEpoch, 1, "{}"));
        var secret = Encoding.UTF8.GetBytes("whsec_t");

        var refused = await Sender(new CreditorWebhookOptions()).SendAsync(subscription, secret, stored);
        Assert.Equal((false, null, WebhookTargets.PrivateRefusal), (refused.Delivered, refused.HttpStatus, refused.Error));
        Assert.Empty(receiver.Requests);

        var delivered = await Sender(new CreditorWebhookOptions { AllowPrivateTargets = true }).SendAsync(subscription, secret, stored);
        Assert.Equal((true, 200, new LogPosition(1, 7)), (delivered.Delivered, delivered.HttpStatus, delivered.EventPosition));
        Assert.Equal("evt_t", Assert.Single(receiver.Requests).EventId);
    }

    /// <summary>A sender over the handler the engine's named webhook client uses.</summary>
    private static WebhookSender Sender(CreditorWebhookOptions options) =>
        new(new HttpClient(WebhookSender.Handler(options)) { Timeout = options.Timeout }, Options.Create(options), TimeProvider.System, TimeProvider.System);
}

/// <summary>Retries and disabling, on an engine clock the test moves: three days pass in seconds, and nothing sleeps.</summary>
public sealed class WebhookDisablingTests(WebhookDisablingTests.Host host) : IClassFixture<WebhookDisablingTests.Host>
{
    public sealed class Host : EngineHost
    {
        public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 3, 9, 0, 0, TimeSpan.Zero));

        protected override IEnumerable<string> ExtraArgs => ["--Recouvrement:Webhooks:AllowPrivateTargets=true"];

        protected override void Customize(WebApplicationBuilder builder) =>
            builder.Services.AddKeyedSingleton<TimeProvider>(EngineClock.Key, Clock);
    }

    [Fact]
    public async Task An_event_refused_for_three_days_is_retried_with_doubling_waits_then_its_subscription_shows_disabled()
    {
        var (api, _) = await WebhookSettings.NewCreditor(host);
        using var _api = api;
        await using var down = await WebhookReceiver.StartAsync(_ => 503);
        var (id, _) = await WebhookSettings.Subscribe(api, down.Url, "*");
        await api.PostAsJsonAsync("/api/v1/cases", WebhookSettings.Case("WX-1", "WX-D1"));
        await Eventually.Get(() => WebhookSettings.Deliveries(api, id), d => d.Count == 1, WebhookSettings.Delivery, "the first attempt");

        // Each time the subscription says when it tries again, the clock goes there, and the next attempt follows.
        JsonObject item;
        for (var attempts = 1; ; attempts++)
        {
            item = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/webhooks/{id}"))!;
            if (item["status"]!.GetValue<string>() == "disabled" || attempts > 200)
            {
                break;
            }

            host.Clock.SetUtcNow(item["nextAttemptAt"]!.GetValue<DateTimeOffset>());
            await Eventually.Get(() => WebhookSettings.Deliveries(api, id), d => d[0]!["attempt"]!.GetValue<int>() == attempts + 1,
                WebhookSettings.Delivery, $"attempt {attempts + 1} at {host.Clock.GetUtcNow():O}");
        }

        var deliveries = (await WebhookSettings.Deliveries(api, id)).Reverse().ToList();
        var times = deliveries.Select(d => d!["at"]!.GetValue<DateTimeOffset>()).ToList();
        var waits = times.Zip(times.Skip(1), (a, b) => (int)(b - a).TotalSeconds).ToList();
        Assert.Equal([5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, .. Enumerable.Repeat(3600, waits.Count - 10)], waits);
        Assert.Equal(82, deliveries.Count);
        Assert.Equal(Enumerable.Range(1, 82), deliveries.Select(d => d!["attempt"]!.GetValue<int>()));
        Assert.Single(deliveries.Select(d => d!["eventId"]!.GetValue<string>()).Distinct());
        Assert.Equal(82, down.Requests.Count);

        var eventId = deliveries[0]!["eventId"]!.GetValue<string>();
        Assert.Equal("disabled", item["status"]!.GetValue<string>());
        Assert.Equal($"event {eventId} (case.created) failed for 3 days, 82 attempts; the last: HTTP 503 Service Unavailable", item["disabledReason"]!.GetValue<string>());
        Assert.Equal(times[^1], item["disabledAt"]!.GetValue<DateTimeOffset>());
        Assert.True(times[^1] - times[0] >= TimeSpan.FromDays(3));
        var listed = Assert.Single((await api.GetFromJsonAsync<JsonObject>("/api/v1/webhooks"))!["items"]!.AsArray())!;
        Assert.Equal(("disabled", true, true), (listed["status"]!.GetValue<string>(), listed["failingSince"] is null, listed["nextAttemptAt"] is null));
    }
}
