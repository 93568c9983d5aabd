using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Recouvrement.Access;
using Recouvrement.Api.Access;
using Recouvrement.Silo.Hosting;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Api;

/// <summary>What the key tests share: onboarding a creditor and reading the answers.</summary>
internal static class Keys
{
    public static async Task<JsonNode> Body(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    /// <summary>Onboards a new creditor; its id and first key.</summary>
    public static async Task<(string Id, string Key, string KeyId)> OnboardAsync(HttpClient operatorClient)
    {
        var id = "keys-" + Guid.NewGuid().ToString("N")[..10];
        var response = await operatorClient.PostAsJsonAsync("/api/v1/admin/creditors", new { id, name = "Laboratoire des clés" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await Body(response);
        return (id, body["apiKey"]!.GetValue<string>(), body["apiKeyId"]!.GetValue<string>());
    }

    public static async Task<HttpStatusCode> PolicyStatus(HttpClient creditor) => (await creditor.GetAsync("/api/v1/policy")).StatusCode;
}

/// <summary>Rotation: several keys live at once, each revoked on its own; the operator sees ids and dates, never a key.</summary>
public sealed class ApiKeyRotationTests(ApiKeyRotationTests.Host host) : IClassFixture<ApiKeyRotationTests.Host>
{
    public sealed class Host : EngineHost
    {
        protected override IEnumerable<string> ExtraArgs =>
        [
            "--Recouvrement:ApiKeys:UsageFlushInterval=00:00:00.2",
            "--Recouvrement:RateLimits:FailedAuthentications=100000",
        ];
    }

    [Fact]
    public async Task Two_keys_work_at_once_and_a_revoked_one_is_refused_at_once_while_the_other_keeps_working()
    {
        using var operatorClient = host.Client(EngineHost.OperatorKey);
        var (id, first, firstId) = await Keys.OnboardAsync(operatorClient);
        var created = await operatorClient.PostAsync($"/api/v1/admin/creditors/{id}/keys", null);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await Keys.Body(created);
        var second = body["key"]!.GetValue<string>();
        var secondId = body["id"]!.GetValue<string>();
        Assert.Equal($"/api/v1/admin/creditors/{id}/keys/{secondId}", created.Headers.Location!.OriginalString);
        Assert.NotEqual(firstId, secondId);

        using var withFirst = host.Client(first);
        using var withSecond = host.Client(second);
        Assert.Equal(HttpStatusCode.OK, await Keys.PolicyStatus(withFirst));
        Assert.Equal(HttpStatusCode.OK, await Keys.PolicyStatus(withSecond));

        Assert.Equal(HttpStatusCode.NoContent, (await operatorClient.DeleteAsync($"/api/v1/admin/creditors/{id}/keys/{firstId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await Keys.PolicyStatus(withFirst));
        Assert.Equal(HttpStatusCode.OK, await Keys.PolicyStatus(withSecond));
        Assert.Equal(HttpStatusCode.NoContent, (await operatorClient.DeleteAsync($"/api/v1/admin/creditors/{id}/keys/{firstId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await Keys.PolicyStatus(withFirst));
    }

    [Fact]
    public async Task The_key_list_shows_ids_and_dates_of_live_and_revoked_keys_and_never_a_key_or_its_hash()
    {
        using var operatorClient = host.Client(EngineHost.OperatorKey);
        var (id, first, firstId) = await Keys.OnboardAsync(operatorClient);
        var second = await Keys.Body(await operatorClient.PostAsync($"/api/v1/admin/creditors/{id}/keys", null));
        var before = DateTimeOffset.UtcNow;
        await operatorClient.DeleteAsync($"/api/v1/admin/creditors/{id}/keys/{firstId}");

        var response = await operatorClient.GetAsync($"/api/v1/admin/creditors/{id}/keys");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        foreach (var secret in new[] { first, second["key"]!.GetValue<string>() })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(ApiKeys.Hash(secret), text, StringComparison.Ordinal);
        }

        var items = JsonNode.Parse(text)!["items"]!.AsArray();
        Assert.Equal([firstId, second["id"]!.GetValue<string>()], items.Select(k => k!["id"]!.GetValue<string>()));
        Assert.Equal(["id", "createdAt", "lastUsedAt", "revokedAt"], items[0]!.AsObject().Select(p => p.Key));
        Assert.Equal(second["createdAt"]!.GetValue<DateTimeOffset>(), items[1]!["createdAt"]!.GetValue<DateTimeOffset>());
        Assert.InRange(items[0]!["revokedAt"]!.GetValue<DateTimeOffset>(), before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Null(items[1]!["revokedAt"]);
    }

    [Fact]
    public async Task A_use_of_a_key_is_recorded_as_its_last_use()
    {
        using var operatorClient = host.Client(EngineHost.OperatorKey);
        var (id, key, keyId) = await Keys.OnboardAsync(operatorClient);
        var before = DateTimeOffset.UtcNow;
        using var creditor = host.Client(key);
        Assert.Equal(HttpStatusCode.OK, await Keys.PolicyStatus(creditor));

        var listed = await Eventually.Get(
            async () => (await Keys.Body(await operatorClient.GetAsync($"/api/v1/admin/creditors/{id}/keys")))["items"]!.AsArray().Single()!,
            k => k["lastUsedAt"] is not null, TimeSpan.FromSeconds(10), "the key's lastUsedAt after a request with it");
        Assert.Equal(keyId, listed["id"]!.GetValue<string>());
        Assert.InRange(listed["lastUsedAt"]!.GetValue<DateTimeOffset>(), before, DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Key_endpoints_answer_404_for_an_unknown_creditor_or_key_and_401_without_the_operator_key()
    {
        using var operatorClient = host.Client(EngineHost.OperatorKey);
        var (id, key, keyId) = await Keys.OnboardAsync(operatorClient);
        Assert.Equal(HttpStatusCode.NotFound, (await operatorClient.PostAsync("/api/v1/admin/creditors/no-such-creditor/keys", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await operatorClient.GetAsync("/api/v1/admin/creditors/no-such-creditor/keys")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await operatorClient.DeleteAsync($"/api/v1/admin/creditors/no-such-creditor/keys/{keyId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await operatorClient.DeleteAsync($"/api/v1/admin/creditors/{id}/keys/key_000000000000")).StatusCode);

        using var creditor = host.Client(key);
        Assert.Equal(HttpStatusCode.Unauthorized, (await creditor.GetAsync($"/api/v1/admin/creditors/{id}/keys")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await creditor.PostAsync($"/api/v1/admin/creditors/{id}/keys", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await creditor.DeleteAsync($"/api/v1/admin/creditors/{id}/keys/{keyId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await Keys.PolicyStatus(creditor));
    }

    [Fact]
    public async Task The_demo_key_is_one_of_the_demo_creditors_keys()
    {
        using var operatorClient = host.Client(EngineHost.OperatorKey);
        var listed = await Keys.Body(await operatorClient.GetAsync($"/api/v1/admin/creditors/{EngineHost.DemoCreditor}/keys"));
        var demoKeyId = Assert.Single(listed["items"]!.AsArray())!["id"]!.GetValue<string>();
        Assert.Equal(new ApiKeyBinding(EngineHost.DemoCreditor, demoKeyId), host.Services.GetRequiredService<ApiKeyDirectory>().Find(ApiKeys.Hash(EngineHost.DemoKey)));
    }

    [Fact]
    public async Task Unknown_tokens_are_refused_without_activating_any_grain()
    {
        var management = host.Grains.GetGrain<IManagementGrain>(0);
        async Task<Dictionary<string, int>> Activations() => (await management.GetSimpleGrainStatistics())
            .GroupBy(s => s.GrainType).ToDictionary(g => g.Key, g => g.Sum(s => s.ActivationCount));
        using var demo = host.Client();
        Assert.Equal(HttpStatusCode.OK, await Keys.PolicyStatus(demo));
        var before = await Activations();

        for (var i = 0; i < 50; i++)
        {
            using var stranger = host.Client(ApiKeys.NewKey());
            Assert.Equal(HttpStatusCode.Unauthorized, await Keys.PolicyStatus(stranger));
        }

        var grown = (await Activations()).Where(a => a.Value > before.GetValueOrDefault(a.Key)).Select(a => $"{a.Key}: {before.GetValueOrDefault(a.Key)} -> {a.Value}");
        Assert.Empty(grown);
    }
}

/// <summary>Two API processes in one cluster: a key revoked through one stops working on the other within the refresh interval.</summary>
public sealed class ApiKeyTwoProcessTests(EngineHost host) : IClassFixture<EngineHost>
{
    [Fact]
    public async Task A_key_revoked_through_one_api_process_is_refused_by_another_within_its_refresh_interval()
    {
        var refresh = TimeSpan.FromSeconds(1);
        await using var tier = await ApiTier.StartAsync(host, $"--Recouvrement:ApiKeys:RefreshInterval={refresh}", "--Recouvrement:RateLimits:FailedAuthentications=100000");
        using var operatorClient = host.Client(EngineHost.OperatorKey);
        var (id, key, keyId) = await Keys.OnboardAsync(operatorClient);
        var other = (await Keys.Body(await operatorClient.PostAsync($"/api/v1/admin/creditors/{id}/keys", null)))["key"]!.GetValue<string>();
        using var elsewhere = tier.Client(key);
        using var otherElsewhere = tier.Client(other);
        await Eventually.Get(() => Keys.PolicyStatus(elsewhere), s => s == HttpStatusCode.OK, refresh * 4, "the new key to work on the second API process");
        Assert.Equal(HttpStatusCode.OK, await Keys.PolicyStatus(otherElsewhere));

        Assert.Equal(HttpStatusCode.NoContent, (await operatorClient.DeleteAsync($"/api/v1/admin/creditors/{id}/keys/{keyId}")).StatusCode);
        await Eventually.Get(() => Keys.PolicyStatus(elsewhere), s => s == HttpStatusCode.Unauthorized, refresh * 4,
            "the revoked key to be refused on the second API process within its refresh interval (and a margin for a loaded machine)");
        Assert.Equal(HttpStatusCode.OK, await Keys.PolicyStatus(otherElsewhere));

        // Revoked through the second process: refused there at once.
        using var operatorElsewhere = tier.Client(EngineHost.OperatorKey);
        var otherId = (await Keys.Body(await operatorElsewhere.GetAsync($"/api/v1/admin/creditors/{id}/keys")))["items"]!.AsArray()
            .Single(k => k!["revokedAt"] is null)!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await operatorElsewhere.DeleteAsync($"/api/v1/admin/creditors/{id}/keys/{otherId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await Keys.PolicyStatus(otherElsewhere));
    }
}

/// <summary>Failed bearer tokens and debtor form posts are rate-limited; valid keys are not.</summary>
public sealed class RateLimitTests(RateLimitTests.Host host) : IClassFixture<RateLimitTests.Host>
{
    public const int FailedAuthentications = 5;
    public const int DebtorFormPosts = 3;

    public sealed class Host : EngineHost
    {
        protected override IEnumerable<string> ExtraArgs =>
        [
            $"--Recouvrement:RateLimits:FailedAuthentications={FailedAuthentications}",
            "--Recouvrement:RateLimits:FailedAuthenticationWindow=00:10:00",
            $"--Recouvrement:RateLimits:DebtorFormPosts={DebtorFormPosts}",
            "--Recouvrement:RateLimits:DebtorFormWindow=00:10:00",
        ];
    }

    [Fact]
    public async Task Failed_bearer_tokens_get_429_with_retry_after_past_the_limit_and_valid_keys_still_pass()
    {
        for (var i = 0; i < FailedAuthentications; i++)
        {
            using var stranger = host.Client(ApiKeys.NewKey());
            Assert.Equal(HttpStatusCode.Unauthorized, await Keys.PolicyStatus(stranger));
        }

        using var another = host.Client(ApiKeys.NewKey());
        var limited = await another.GetAsync("/api/v1/policy");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType!.MediaType);
        Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        using var noKey = host.Client(key: null);
        Assert.Equal(HttpStatusCode.TooManyRequests, await Keys.PolicyStatus(noKey));
        using var wrongOperator = host.Client("op-not-the-operator-key-0123456789abcdef");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await wrongOperator.GetAsync($"/api/v1/admin/creditors/{EngineHost.DemoCreditor}/keys")).StatusCode);

        using var demo = host.Client();
        for (var i = 0; i < FailedAuthentications * 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await Keys.PolicyStatus(demo));
        }

        using var operatorClient = host.Client(EngineHost.OperatorKey);
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.GetAsync($"/api/v1/admin/creditors/{EngineHost.DemoCreditor}/keys")).StatusCode);
    }

    [Fact]
    public async Task Debtor_form_posts_of_one_link_get_a_429_page_past_the_limit_and_other_links_are_not_affected()
    {
        using var browser = host.Client(key: null);
        var link = "/p/forged-token-" + Guid.NewGuid().ToString("N");
        FormUrlEncodedContent Form() => new([new("case", "all")]);
        for (var i = 0; i < DebtorFormPosts; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await browser.PostAsync($"{link}/pay", Form())).StatusCode);
        }

        var limited = await browser.PostAsync($"{link}/dispute?lang=en", Form());
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("text/html", limited.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(limited.Headers.RetryAfter?.Delta);
        var page = await limited.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Too many requests</h1>", page, StringComparison.Ordinal);
        Assert.Contains($"href=\"{link}?lang=en\"", page, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync(link)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.PostAsync($"/p/forged-token-{Guid.NewGuid():N}/plan", Form())).StatusCode);
    }
}

/// <summary>The operator key opens every creditor's administration: a short one is refused at start.</summary>
public sealed class OperatorKeyTests
{
    [Fact]
    public async Task A_configured_operator_key_shorter_than_32_characters_stops_the_start()
    {
        await using var app = SiloHost.Build(
        [
            $"--urls=http://127.0.0.1:{FreePort.Next()}",
            $"--Recouvrement:Cluster:SiloPort={FreePort.Next()}",
            $"--Recouvrement:Cluster:GatewayPort={FreePort.Next()}",
            "--Recouvrement:OperatorKey=op-test-key",
            "--Logging:LogLevel:Default=None",
        ]);
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("Recouvrement:OperatorKey is shorter than 32 characters", failure.Message, StringComparison.Ordinal);
    }
}
