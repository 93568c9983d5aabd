using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Recouvrement.Tests.Console;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Browser;

/// <summary>The console host, with webhooks allowed to local addresses (a subscription is made to one).</summary>
public sealed class ConsolePagesHost : ConsoleHost
{
    protected override IEnumerable<string> ExtraArgs => [.. base.ExtraArgs, "--Recouvrement:Webhooks:AllowPrivateTargets=true"];
}

/// <summary>
/// The console's imports, settings, webhooks, users and keys pages in headless Chromium: an admin uploads a CSV file
/// with a bad line and sees each line's result; an admin's bad setting is refused next to its field, a good one kept;
/// a viewer gets no form and a forged post is refused; a user of another creditor sees none of the first one's imports,
/// webhooks or keys. Screenshots at 390 px and 1280 px go to <c>artifacts/screenshots</c>.
/// </summary>
public sealed class ConsolePagesBrowserTests(ConsolePagesHost host) : IClassFixture<ConsolePagesHost>, IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private static readonly string Chromium = Environment.GetEnvironmentVariable("RECOUVREMENT_CHROMIUM") ?? "/usr/bin/chromium";
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> refused = new();

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), $"the browser tests need Chromium at {Chromium} (apt-get install chromium)");
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }

    /// <summary>A new browser of <paramref name="width"/> px, signed in as a new user of <paramref name="creditor"/> with <paramref name="role"/>.</summary>
    private async Task<(IPage Page, string Email)> SignedIn(string creditor, string role, int width)
    {
        using var operatorClient = host.Client(EngineHost.OperatorKey);
        var email = ConsoleHost.NewEmail(role);
        var link = await ConsoleVisitor.Invite(operatorClient, creditor, email, role);
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = 900 }, BaseURL = host.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                refused.Enqueue(message.Text);
            }
        };
        await page.GotoAsync(new Uri(link).PathAndQuery);
        await page.GetByLabel("Choisissez un mot de passe").FillAsync(Password);
        await page.GetByLabel("Confirmez le mot de passe").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer le mot de passe" }).ClickAsync();
        await page.GetByLabel("Adresse e-mail").FillAsync(email);
        await page.GetByLabel("Mot de passe").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Vue d'ensemble" })).ToBeVisibleAsync();
        return (page, email);
    }

    private static Task Screenshot(IPage page, string name, int width) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(ConsoleBrowserTests.Screenshots, $"console-{name}-{width}.png"), FullPage = true });

    [Theory]
    [InlineData(390)]
    [InlineData(1280)]
    public async Task An_admin_uploads_a_csv_with_a_bad_line_and_sees_each_lines_result_and_the_history(int width)
    {
        var (creditor, key) = await host.OnboardAsync("Laboratoire Bellecour");
        var (page, email) = await SignedIn(creditor, "admin", width);
        var csv = "reference;amount;issued_on;due_on;debtor_reference;debtor_name;email\n" +
            $"IMP-{width}-1;42,50;2026-09-12;2026-10-12;IMPD-1;Marie Durand;marie@example.org\n" +
            $"IMP-{width}-2;quarante;2026-09-12;2026-10-12;IMPD-2;Paul Martin;paul@example.org\n" +
            $"IMP-{width}-3;18,00;2026-09-12;2026-10-12;IMPD-3;Lea Petit;lea@example.org\n";

        await page.GetByRole(AriaRole.Link, new() { Name = "Imports" }).ClickAsync();
        await page.GetByLabel("Fichier").SetInputFilesAsync(new FilePayload { Name = "factures-octobre.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Importer" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("3 ligne(s) lue(s) : 2 acceptée(s), 0 déjà reçue(s), 1 refusée(s).");
        var rows = page.Locator("#import-results tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync($"2IMP-{width}-1accepté");
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync($"3IMP-{width}-2refusé");
        await Assertions.Expect(rows.Nth(1).Locator("td").Nth(3)).ToContainTextAsync("amount");
        await Assertions.Expect(rows.Nth(2)).ToContainTextAsync($"4IMP-{width}-3accepté");
        var history = page.Locator("#import-history tbody tr");
        await Assertions.Expect(history).ToHaveCountAsync(1);
        await Assertions.Expect(history.First).ToContainTextAsync(email);
        await Assertions.Expect(history.First).ToContainTextAsync("factures-octobre.csv");
        await Screenshot(page, "imports", width);

        // The good lines are cases; the API's history lists the same import.
        using var api = host.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/cases/IMP-{width}-3")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/cases/IMP-{width}-2")).StatusCode);
        var listed = (await api.GetFromJsonAsync<JsonObject>("/api/v1/imports"))!["items"]!.AsArray();
        var import = Assert.Single(listed)!;
        Assert.Equal(("console", 3, 2, 1), (import["source"]!.GetValue<string>(), import["lines"]!.GetValue<int>(), import["created"]!.GetValue<int>(), import["invalid"]!.GetValue<int>()));
        Assert.Empty(refused);
    }

    [Theory]
    [InlineData(390)]
    [InlineData(1280)]
    public async Task An_admin_sees_a_bad_setting_refused_next_to_its_field_then_saves_a_good_one(int width)
    {
        var (creditor, key) = await host.OnboardAsync("Laboratoire Confluence");
        var (page, _) = await SignedIn(creditor, "admin", width);

        await page.GetByRole(AriaRole.Link, new() { Name = "Paramètres" }).ClickAsync();
        await page.GetByLabel("Intérêts de retard (% par an)").FillAsync("150");
        await page.GetByLabel("Ville").FillAsync("Lyon");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer les paramètres" }).ClickAsync();

        var rate = page.GetByLabel("Intérêts de retard (% par an)");
        await Assertions.Expect(rate).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(rate).ToHaveValueAsync("150");
        await Assertions.Expect(page.Locator("#lateInterestRate-error")).ToContainTextAsync("between 0 and 100");
        // A half-filled address is refused on its empty fields, as the API refuses it.
        await Assertions.Expect(page.Locator("#address-line1-error")).ToBeVisibleAsync();
        await Screenshot(page, "settings-refused", width);
        using var api = host.Client(key);
        Assert.Null((await api.GetFromJsonAsync<JsonObject>("/api/v1/settings"))!["lateInterestRate"]);

        await page.GetByLabel("Intérêts de retard (% par an)").FillAsync("12,5");
        await page.GetByLabel("Ville").FillAsync(string.Empty);
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer les paramètres" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Paramètres enregistrés.");
        await Assertions.Expect(page.GetByLabel("Intérêts de retard (% par an)")).ToHaveValueAsync("12.5");
        Assert.Equal(12.5m, (await api.GetFromJsonAsync<JsonObject>("/api/v1/settings"))!["lateInterestRate"]!.GetValue<decimal>());
        await Screenshot(page, "settings", width);
        Assert.Empty(refused);
    }

    [Fact]
    public async Task A_viewer_sees_the_pages_without_any_form_and_a_forged_post_is_refused()
    {
        var (creditor, key) = await host.OnboardAsync("Laboratoire Vaise");
        var (page, _) = await SignedIn(creditor, "viewer", 390);
        foreach (var (link, heading) in new[] { ("Imports", "Imports"), ("Relances", "Politique de relance"), ("Paramètres", "Paramètres"), ("Webhooks", "Webhooks"), ("Utilisateurs", "Utilisateurs"), ("Clés d'API", "Clés d'API") })
        {
            await page.GetByRole(AriaRole.Link, new() { Name = link, Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true })).ToBeVisibleAsync();
            // The sign-out button in the bar is the only form of a viewer's page.
            await Assertions.Expect(page.Locator("main form")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("main input, main textarea, main button")).ToHaveCountAsync(0);
        }

        await Screenshot(page, "keys-viewer", 390);

        // A post made by hand with the viewer's own session and anti-forgery token: the role decides, a 403 page.
        var token = await page.Locator("header input[name=__rc_af]").GetAttributeAsync("value");
        foreach (var action in new[] { "/console/settings", "/console/keys", "/console/users", "/console/webhooks", "/console/imports", "/console/policy" })
        {
            var form = page.Context.APIRequest.CreateFormData();
            form.Set("__rc_af", token!);
            form.Set("lateInterestRate", "1");
            form.Set("email", "intrus@example.org");
            form.Set("role", "admin");
            var forged = await page.Context.APIRequest.PostAsync(action, new() { Form = form, MaxRedirects = 0 });
            Assert.True(forged.Status == 403, $"{action}: {forged.Status}");
        }

        using var api = host.Client(key);
        Assert.Null((await api.GetFromJsonAsync<JsonObject>("/api/v1/settings"))!["lateInterestRate"]);
        using var operatorClient = host.Client(EngineHost.OperatorKey);
        var keys = (await operatorClient.GetFromJsonAsync<JsonObject>($"/api/v1/admin/creditors/{creditor}/keys"))!["items"]!.AsArray();
        Assert.Single(keys);
        Assert.Empty(refused);
    }

    [Fact]
    public async Task A_user_of_another_creditor_never_sees_the_first_ones_imports_webhooks_or_keys()
    {
        var (first, firstKey) = await host.OnboardAsync("Laboratoire Gerland");
        var (second, _) = await host.OnboardAsync("Laboratoire Villeurbanne");
        using var api = host.Client(firstKey);
        var csv = new StringContent("reference,amount,issued_on,due_on,debtor_reference,debtor_name,email\nGER-1,42.50,2026-09-12,2026-10-12,GERD-1,Marie Durand,marie@example.org\n", Encoding.UTF8, "text/csv");
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync("/api/v1/imports", csv)).StatusCode);
        var hook = await api.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://127.0.0.1:9/gerland-hook", events = new[] { "*" } });
        Assert.Equal(HttpStatusCode.Created, hook.StatusCode);
        var hookId = JsonNode.Parse(await hook.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        using var operatorClient = host.Client(EngineHost.OperatorKey);
        var firstKeyId = (await operatorClient.GetFromJsonAsync<JsonObject>($"/api/v1/admin/creditors/{first}/keys"))!["items"]![0]!["id"]!.GetValue<string>();

        var (own, _) = await SignedIn(first, "admin", 1280);
        await own.GotoAsync("/console/imports");
        await Assertions.Expect(own.Locator("#import-history")).ToContainTextAsync(firstKeyId);
        await own.GotoAsync("/console/webhooks");
        await Assertions.Expect(own.Locator("#webhooks")).ToContainTextAsync("gerland-hook");
        await own.GotoAsync("/console/keys");
        await Assertions.Expect(own.Locator("#keys")).ToContainTextAsync(firstKeyId);

        var (other, _) = await SignedIn(second, "admin", 1280);
        await other.GotoAsync("/console/imports");
        await Assertions.Expect(other.GetByText("Aucun import pour l'instant.")).ToBeVisibleAsync();
        await other.GotoAsync("/console/webhooks");
        await Assertions.Expect(other.GetByText("Aucun abonnement.")).ToBeVisibleAsync();
        Assert.DoesNotContain("gerland-hook", await other.ContentAsync());
        await other.GotoAsync("/console/keys");
        Assert.DoesNotContain(firstKeyId, await other.ContentAsync());
        var deliveries = await other.GotoAsync($"/console/webhooks/{hookId}");
        Assert.Equal(404, deliveries!.Status);

        // Deleting the first creditor's webhook or revoking its key from the second's session finds nothing, and changes nothing.
        var token = await other.Locator("header input[name=__rc_af]").GetAttributeAsync("value");
        foreach (var action in new[] { $"/console/webhooks/{hookId}/delete", $"/console/keys/{firstKeyId}/revoke" })
        {
            var form = other.Context.APIRequest.CreateFormData();
            form.Set("__rc_af", token!);
            var forged = await other.Context.APIRequest.PostAsync(action, new() { Form = form, MaxRedirects = 0 });
            Assert.True(forged.Status == 404, $"{action}: {forged.Status}");
        }

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/webhooks/{hookId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/cases/GER-1")).StatusCode);
        Assert.Empty(refused);
    }
}
