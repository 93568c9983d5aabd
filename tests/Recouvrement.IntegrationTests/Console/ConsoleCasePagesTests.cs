using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Console;

/// <summary>The console's cases and statements pages: an agent acts, a viewer only reads, a user of another creditor sees nothing.</summary>
public sealed class ConsoleCasePagesTests(ConsoleHost host) : IClassFixture<ConsoleHost>
{
    [Fact]
    public async Task An_agent_finds_a_case_records_a_transfer_and_sees_it_paid_and_in_the_statement_while_a_viewer_cannot_act()
    {
        var (creditor, key) = await host.OnboardAsync("Laboratoire de la Croix-Rousse", commissionRate: 10m);
        using var api = host.Client(key);
        await ApiCases.Create(api, "FAC-CR-1", "PAT-CR-1");
        await ApiCases.Create(api, "FAC-CR-2", "PAT-CR-2");
        using var agent = await host.SignedInAsync(creditor, "agent");

        var list = await Eventually.Get(() => agent.Page("/console/cases"), page => page.Contains("FAC-CR-2", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "both cases listed from the read model");
        Assert.Contains("FAC-CR-1", list);
        var filtered = await agent.Page("/console/cases?debtor=PAT-CR-2");
        Assert.Contains("FAC-CR-2", filtered);
        Assert.DoesNotContain("FAC-CR-1", filtered);
        Assert.Equal("/console/cases/FAC-CR-1", (await agent.Get("/console/cases/open?open=FAC-CR-1")).Headers.Location!.OriginalString);

        var page = await agent.Page("/console/cases/FAC-CR-1");
        Assert.Contains("Enregistrer un virement", page);
        var recorded = await agent.Post(page, "/console/cases/FAC-CR-1/payment", ("amount", "42,50"), ("paymentReference", "VIR-CR-1"), ("receivedOn", ""));
        Assert.Equal("/console/cases/FAC-CR-1?done=1", recorded.Headers.Location!.OriginalString);
        var paid = await agent.Page("/console/cases/FAC-CR-1");
        Assert.Contains("payé", paid);
        Assert.DoesNotContain("Enregistrer un virement", paid);
        var paidList = await Eventually.Get(() => agent.Page("/console/cases?status=paid"), p => p.Contains("FAC-CR-1", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "the paid case under the paid filter");
        Assert.DoesNotContain("FAC-CR-2", paidList);

        var statement = await agent.Page("/console/statements");
        Assert.Contains("FAC-CR-1", statement);
        Assert.Contains("4,25", statement);

        using var viewer = await host.SignedInAsync(creditor, "viewer");
        var readOnly = await viewer.Page("/console/cases/FAC-CR-2");
        Assert.DoesNotContain("Enregistrer un virement", readOnly);
        var refused = await viewer.Post(readOnly, "/console/cases/FAC-CR-2/hold");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var view = await api.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/v1/cases/FAC-CR-2");
        Assert.Equal("active", view!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_user_of_another_creditor_never_sees_the_first_creditors_cases_or_statement()
    {
        var (first, firstKey) = await host.OnboardAsync("Laboratoire A");
        var (second, _) = await host.OnboardAsync("Laboratoire B");
        using var api = host.Client(firstKey);
        await ApiCases.Create(api, "FAC-SECRET-1", "PAT-SECRET-1");
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/cases/FAC-SECRET-1/payments", new { amount = 10m, reference = "VIR-S" })).StatusCode);
        using var ownAgent = await host.SignedInAsync(first, "agent");
        await Eventually.Get(() => ownAgent.Page("/console/cases"), p => p.Contains("FAC-SECRET-1", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the case listed for its creditor");

        using var other = await host.SignedInAsync(second, "admin");
        Assert.DoesNotContain("FAC-SECRET-1", await other.Page("/console/cases"));
        Assert.Equal(HttpStatusCode.NotFound, (await other.Get("/console/cases/FAC-SECRET-1")).StatusCode);
        var page = await other.Page("/console/cases");
        Assert.Equal(HttpStatusCode.NotFound, (await other.Post(page, "/console/cases/FAC-SECRET-1/hold")).StatusCode);
        Assert.DoesNotContain("FAC-SECRET-1", await other.Page("/console/statements"));
        var month = Calendar.ParisTime.DateOf(DateTimeOffset.UtcNow).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var csv = await (await other.Get($"/console/statements/{month}/statement.csv")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("FAC-SECRET-1", csv);
        Assert.Contains("FAC-SECRET-1", await ownAgent.Page("/console/statements"));
    }
}
