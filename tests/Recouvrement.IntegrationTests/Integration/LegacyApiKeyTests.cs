using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Recouvrement.Access;
using Recouvrement.Api.Access;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Integration;

/// <summary>
/// Keys stored before creditors had several (one <c>apikey</c> grain state row per key, keyed by its hash) keep
/// working after an upgrade: the silo adds them to their creditor's keys at start, where they can be listed and
/// revoked like any other, and a revoked one is not brought back by the next start.
/// </summary>
public sealed class LegacyApiKeyTests
{
    private const string LegacyKey = "rk_legacy_key_from_before_rotation";

    private sealed class DurableHost(string connectionString) : EngineHost
    {
        protected override IEnumerable<string> ExtraArgs => DurableArgs(connectionString);
    }

    private static async Task<T> WithHost<T>(string connectionString, Func<EngineHost, Task<T>> use)
    {
        var host = new DurableHost(connectionString);
        await host.InitializeAsync();
        try
        {
            return await use(host);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    private static async Task<JsonArray> KeysOf(EngineHost host, string creditorId)
    {
        using var operatorClient = host.Client(EngineHost.OperatorKey);
        return (await operatorClient.GetFromJsonAsync<JsonObject>($"/api/v1/admin/creditors/{creditorId}/keys"))!["items"]!.AsArray();
    }

    [Fact]
    public async Task A_key_stored_the_old_way_works_after_a_restart_is_listed_and_stays_revoked_once_revoked()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var demoKeyId = await WithHost(database.ConnectionString, async host =>
        {
            Assert.True(await host.Grains.Reference<IApiKeyGrain>(ApiKeys.Hash(LegacyKey)).Bind(EngineHost.DemoCreditor));
            return Assert.Single(await KeysOf(host, EngineHost.DemoCreditor))!["id"]!.GetValue<string>();
        });
        Assert.Equal(1, await database.CountAsync("SELECT count(*) FROM orleans_grain_state WHERE grain_type = 'apikey' AND payload IS NOT NULL"));

        var legacyKeyId = await WithHost(database.ConnectionString, async host =>
        {
            using var legacy = host.Client(LegacyKey);
            Assert.Equal(HttpStatusCode.OK, (await legacy.GetAsync("/api/v1/policy")).StatusCode);
            var keys = await KeysOf(host, EngineHost.DemoCreditor);
            Assert.Equal(2, keys.Count);
            var legacyId = keys.Select(k => k!["id"]!.GetValue<string>()).Single(id => id != demoKeyId);

            using var operatorClient = host.Client(EngineHost.OperatorKey);
            Assert.Equal(HttpStatusCode.NoContent, (await operatorClient.DeleteAsync($"/api/v1/admin/creditors/{EngineHost.DemoCreditor}/keys/{legacyId}")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await legacy.GetAsync("/api/v1/policy")).StatusCode);
            return legacyId;
        });

        await WithHost(database.ConnectionString, async host =>
        {
            using var legacy = host.Client(LegacyKey);
            Assert.Equal(HttpStatusCode.Unauthorized, (await legacy.GetAsync("/api/v1/policy")).StatusCode);
            using var demo = host.Client();
            Assert.Equal(HttpStatusCode.OK, (await demo.GetAsync("/api/v1/policy")).StatusCode);
            var keys = await KeysOf(host, EngineHost.DemoCreditor);
            Assert.Equal([demoKeyId, legacyKeyId], keys.Select(k => k!["id"]!.GetValue<string>()));
            Assert.NotNull(keys[1]!["revokedAt"]);
            return true;
        });
    }
}
