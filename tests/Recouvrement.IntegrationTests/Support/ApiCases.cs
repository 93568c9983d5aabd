using System.Net;
using System.Net.Http.Json;

namespace Recouvrement.Tests.Support;

/// <summary>Cases fed through the public API, as a creditor feeds them.</summary>
public static class ApiCases
{
    /// <summary>Posts a 42.50 EUR case of a consumer reachable by e-mail and checks that it was created.</summary>
    public static async Task Create(HttpClient api, string reference, string debtor)
    {
        var created = await api.PostAsJsonAsync("/api/v1/cases", new
        {
            reference, amount = 42.50m, issuedOn = "2026-09-12", dueOn = "2026-10-12",
            debtor = new { reference = debtor, kind = "consumer", name = "Marie Durand", email = "marie@example.org" },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }
}
