using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Recouvrement.Tests.Browser;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Console;

/// <summary>
/// The console's admin pages over HTTP: a key made on the keys page opens the API until it is revoked there; a user
/// invited on the users page gets a working link; a webhook subscribed on the webhooks page is the API's, its secret
/// shown once; the policy page refuses what the API refuses and keeps what it keeps; the cases page filters on the
/// amount claimed and names a wrong bound.
/// </summary>
public sealed partial class ConsoleAdminPagesTests(ConsolePagesHost host) : IClassFixture<ConsolePagesHost>
{
    [Fact]
    public async Task A_key_made_on_the_keys_page_opens_the_api_until_it_is_revoked_there()
    {
        var (creditor, _) = await host.OnboardAsync("Laboratoire Monplaisir");
        using var admin = await host.SignedInAsync(creditor, "admin");
        var page = await admin.Page("/console/keys");
        var made = await admin.Post(page, "/console/keys");
        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        var html = await made.Content.ReadAsStringAsync();
        var key = WebUtility.HtmlDecode(Secret().Match(html).Groups[1].Value);
        using var api = host.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/cases")).StatusCode);
        // Shown once: the list never carries it again.
        var listed = await admin.Page("/console/keys");
        Assert.DoesNotContain(key, listed);

        var keyId = KeyId().Matches(listed).Select(m => m.Groups[1].Value).Last();
        var revoked = await admin.Post(listed, $"/console/keys/{keyId}/revoke");
        Assert.Equal("/console/keys?done=1", revoked.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/cases")).StatusCode);
        Assert.Contains("révoquée le", await admin.Page("/console/keys"));
    }

    [Fact]
    public async Task A_user_invited_on_the_users_page_signs_in_with_the_link_and_an_admin_removes_them()
    {
        var (creditor, _) = await host.OnboardAsync("Laboratoire Brotteaux");
        using var admin = await host.SignedInAsync(creditor, "admin");
        var page = await admin.Page("/console/users");
        var refused = await admin.Post(page, "/console/users", ("email", "pas une adresse"), ("role", "agent"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("id=\"email-error\"", await refused.Content.ReadAsStringAsync());

        var email = ConsoleHost.NewEmail("invited");
        var invited = await admin.Post(page, "/console/users", ("email", email), ("role", "agent"));
        Assert.Equal(HttpStatusCode.OK, invited.StatusCode);
        var link = WebUtility.HtmlDecode(Link().Match(await invited.Content.ReadAsStringAsync()).Groups[1].Value);
        using var agent = new ConsoleVisitor(host.BaseAddress);
        await agent.SetPasswordAndSignIn(link, email, ConsoleHost.UserPassword);
        Assert.Contains("(agent)", await agent.Page("/console"));
        Assert.DoesNotContain("<form method=\"post\" action=\"/console/users\"", await agent.Page("/console/users"));

        var users = await admin.Page("/console/users");
        var id = Regex.Match(users, "action=\"/console/users/([^/\"]+)/remove\"").Groups[1].Value;
        var removed = await admin.Post(users, $"/console/users/{id}/remove");
        Assert.Equal("/console/users?done=1", removed.Headers.Location!.OriginalString);
        Assert.DoesNotContain(email, await admin.Page("/console/users"));
        Assert.Equal(HttpStatusCode.Redirect, (await agent.Get("/console")).StatusCode);
    }

    [Fact]
    public async Task A_webhook_subscribed_on_the_webhooks_page_is_the_apis_its_secret_shown_once_and_a_bad_url_is_named()
    {
        var (creditor, key) = await host.OnboardAsync("Laboratoire Guillotière");
        using var admin = await host.SignedInAsync(creditor, "admin");
        var page = await admin.Page("/console/webhooks");
        var refused = await admin.Post(page, "/console/webhooks", ("url", "ftp://example.org/x"), ("events", "case.nothing"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var refusal = await refused.Content.ReadAsStringAsync();
        Assert.Contains("id=\"url-error\"", refusal);
        Assert.Contains("id=\"events-error\"", refusal);

        var made = await admin.Post(page, "/console/webhooks", ("url", "http://127.0.0.1:9/guillotiere"), ("events", "case.paid"), ("events", "case.created"));
        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        var secret = WebUtility.HtmlDecode(Webhook().Match(await made.Content.ReadAsStringAsync()).Groups[1].Value);
        Assert.NotEmpty(secret);
        using var api = host.Client(key);
        var hook = Assert.Single((await api.GetFromJsonAsync<JsonObject>("/api/v1/webhooks"))!["items"]!.AsArray())!;
        Assert.Equal(["case.paid", "case.created"], hook["events"]!.AsArray().Select(e => e!.GetValue<string>()));
        var id = hook["id"]!.GetValue<string>();
        var listed = await admin.Page("/console/webhooks");
        Assert.DoesNotContain(secret, listed);
        Assert.Equal(HttpStatusCode.OK, (await admin.Get($"/console/webhooks/{id}")).StatusCode);

        var deleted = await admin.Post(listed, $"/console/webhooks/{id}/delete");
        Assert.Equal("/console/webhooks?done=1", deleted.Headers.Location!.OriginalString);
        Assert.Empty((await api.GetFromJsonAsync<JsonObject>("/api/v1/webhooks"))!["items"]!.AsArray());
    }

    [Fact]
    public async Task The_policy_page_refuses_what_the_api_refuses_and_keeps_what_it_keeps()
    {
        var (creditor, key) = await host.OnboardAsync("Laboratoire Perrache");
        using var admin = await host.SignedInAsync(creditor, "admin");
        var page = await admin.Page("/console/policy");
        const string bad = """{"steps":[{"dayAfterDue":15,"action":"reminder","channels":["email"]},{"dayAfterDue":8,"action":"reminder","channels":["sms"]}],"escalationThreshold":40}""";
        var refused = await admin.Post(page, "/console/policy", ("policy", bad));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var refusal = await refused.Content.ReadAsStringAsync();
        Assert.Contains("<code>steps[1].dayAfterDue</code>", refusal);

        var notJson = await admin.Post(page, "/console/policy", ("policy", "{\"steps\": [}"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);

        const string good = """{"steps":[{"dayAfterDue":3,"action":"reminder","channels":["email"]},{"dayAfterDue":20,"action":"formal_notice","channels":["letter"]}],"escalationThreshold":60}""";
        var saved = await admin.Post(page, "/console/policy", ("policy", good));
        Assert.Equal("/console/policy?done=1", saved.Headers.Location!.OriginalString);
        using var api = host.Client(key);
        var policy = (await api.GetFromJsonAsync<JsonObject>("/api/v1/policy"))!;
        Assert.Equal([3, 20], policy["steps"]!.AsArray().Select(s => s!["dayAfterDue"]!.GetValue<int>()));
        Assert.Equal(60m, policy["escalationThreshold"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task The_cases_page_filters_on_the_amount_claimed_and_names_a_wrong_bound()
    {
        var (creditor, key) = await host.OnboardAsync("Laboratoire Jean-Macé");
        using var api = host.Client(key);
        foreach (var (reference, amount) in new[] { ("JM-1", 20m), ("JM-2", 150.5m), ("JM-3", 900m) })
        {
            var created = await api.PostAsJsonAsync("/api/v1/cases", new
            {
                reference, amount, issuedOn = "2026-09-12", dueOn = "2026-10-12",
                debtor = new { reference = "D-" + reference, kind = "consumer", name = "Marie Durand", email = "marie@example.org" },
            });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using var viewer = await host.SignedInAsync(creditor, "viewer");
        await Eventually.Get(() => viewer.Page("/console/cases"), p => p.Contains("JM-3", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the cases listed");
        var filtered = await viewer.Page("/console/cases?amountFrom=100&amountTo=200%2C00");
        Assert.Contains("JM-2", filtered);
        Assert.DoesNotContain("JM-1", filtered);
        Assert.DoesNotContain("JM-3", filtered);
        var wrong = await viewer.Page("/console/cases?amountFrom=500&amountTo=100");
        Assert.Contains("id=\"amountTo-error\"", wrong);
        Assert.DoesNotContain("JM-3", wrong);
    }

    [Fact]
    public async Task The_operator_sees_each_creditor_with_its_rate_users_live_keys_and_headline_figures()
    {
        var (creditor, key) = await host.OnboardAsync("Laboratoire Bellecour " + Guid.NewGuid().ToString("N")[..6], commissionRate: 12.5m);
        using var operatorClient = host.Client(EngineHost.OperatorKey);
        var email = ConsoleHost.NewEmail("agent");
        await ConsoleVisitor.Invite(operatorClient, creditor, email, "agent");
        var revoked = JsonNode.Parse(await (await operatorClient.PostAsync($"/api/v1/admin/creditors/{creditor}/keys", null)).Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await operatorClient.DeleteAsync($"/api/v1/admin/creditors/{creditor}/keys/{revoked}")).StatusCode);
        using var api = host.Client(key);
        foreach (var (reference, amount) in new[] { ("OP-1", 40m), ("OP-2", 60m) })
        {
            Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/cases", new
            {
                reference, amount, issuedOn = "2026-10-01", dueOn = "2031-01-10",
                debtor = new { reference = "D-" + reference, kind = "consumer", name = "Marie Durand", email = "marie@example.org" },
            })).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/cases/OP-1/payments", new { amount = 40m, reference = "VIR-OP-1" })).StatusCode);
        var live = JsonNode.Parse(await operatorClient.GetStringAsync($"/api/v1/admin/creditors/{creditor}/keys"))!["items"]!.AsArray()
            .Where(k => k!["revokedAt"] is null).Select(k => k!["id"]!.GetValue<string>()).ToList();

        using var visitor = new ConsoleVisitor(host.BaseAddress);
        var form = await visitor.Page("/console/operator/signin");
        Assert.Equal(HttpStatusCode.Redirect, (await visitor.Post(form, "/console/operator/signin", ("key", EngineHost.OperatorKey))).StatusCode);
        // The figures follow the projection: one open case of 60.00, 40 % of the amount recovered.
        var row = await Eventually.Get(async () => Row(await visitor.Page("/console/operator"), creditor),
            r => r.Contains("60,00", StringComparison.Ordinal) && r.Contains("40 %", StringComparison.Ordinal), TimeSpan.FromSeconds(20), "the creditor's figures on the operator page");
        Assert.Contains("12,5 %", row, StringComparison.Ordinal);
        Assert.Contains(email, row, StringComparison.Ordinal);
        Assert.All(live, id => Assert.Contains(id, row, StringComparison.Ordinal));
        Assert.DoesNotContain(revoked, row, StringComparison.Ordinal);
        Assert.Contains($"<td class=\"num\">1</td>", row, StringComparison.Ordinal);
    }

    /// <summary>The table row of one creditor on the operator's page.</summary>
    private static string Row(string page, string creditor)
    {
        var at = page.IndexOf($"({creditor})", StringComparison.Ordinal);
        Assert.True(at >= 0, $"the operator's page lists {creditor}");
        var start = page.LastIndexOf("<tr>", at, StringComparison.Ordinal);
        return page[start..page.IndexOf("</tr>", at, StringComparison.Ordinal)];
    }

    [GeneratedRegex("id=\"api-key\">([^<]+)<")]
    private static partial Regex Secret();

    [GeneratedRegex("<code>([^<]+)</code></td>")]
    private static partial Regex KeyId();

    [GeneratedRegex("id=\"invitation-link\">([^<]+)<")]
    private static partial Regex Link();

    [GeneratedRegex("id=\"webhook-secret\">([^<]+)<")]
    private static partial Regex Webhook();
}
