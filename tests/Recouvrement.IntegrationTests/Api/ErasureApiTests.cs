using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Api;

/// <summary><c>DELETE /api/v1/debtors/{reference}</c>: the creditor erases a debtor's personal data; another creditor cannot.</summary>
public sealed class ErasureApiTests(EngineHost host) : IClassFixture<EngineHost>
{
    [Fact]
    public async Task A_creditor_erases_its_debtor_with_the_key_it_used_recorded_and_another_creditor_cannot()
    {
        using var operatorClient = host.Client(EngineHost.OperatorKey);
        var (_, key, keyId) = await Keys.OnboardAsync(operatorClient);
        var (_, otherKey, _) = await Keys.OnboardAsync(operatorClient);
        using var api = host.Client(key);
        using var other = host.Client(otherKey);
        await ApiCases.Create(api, "ERA-1", "ERA-D1");

        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync("/api/v1/debtors/ERA-D1")).StatusCode);
        Assert.Equal("Marie Durand", (await api.GetFromJsonAsync<JsonObject>("/api/v1/debtors/ERA-D1"))!["name"]!.GetValue<string>());

        var erased = await api.DeleteAsync("/api/v1/debtors/ERA-D1");
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        var erasure = (await erased.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal((keyId, 1), (erasure["by"]!.GetValue<string>(), erasure["cases"]!.GetValue<int>()));
        Assert.DoesNotContain(key, erasure.ToJsonString(), StringComparison.Ordinal);

        var debtor = (await api.GetFromJsonAsync<JsonObject>("/api/v1/debtors/ERA-D1"))!;
        Assert.Equal("[erased]", debtor["name"]!.GetValue<string>());
        Assert.Empty(debtor["contactPoints"]!.AsArray());
        Assert.DoesNotContain("marie@example.org", debtor.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(keyId, debtor["erasure"]!["by"]!.GetValue<string>());
        var view = (await api.GetFromJsonAsync<JsonObject>("/api/v1/cases/ERA-1"))!;
        Assert.Equal(("closed", "erased", 42.50m), (view["status"]!.GetValue<string>(), view["closedReason"]!.GetValue<string>(), view["amount"]!.GetValue<decimal>()));
        Assert.Equal(HttpStatusCode.NotFound, (await api.DeleteAsync("/api/v1/debtors/NOBODY")).StatusCode);
    }
}
