using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Recouvrement.Tests.Support;

/// <summary>What <c>/health/ready</c> says: <c>{status, checks: [{name, status, description}]}</c>.</summary>
public static class Readiness
{
    /// <summary>The status of one named check (<c>silo</c>, <c>cluster</c>, <c>database</c>, <c>providers</c>).</summary>
    public static async Task<string> Check(HttpClient http, string name)
    {
        var ready = (await http.GetFromJsonAsync<JsonObject>("/health/ready"))!;
        return ready["checks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == name)!["status"]!.GetValue<string>();
    }
}
