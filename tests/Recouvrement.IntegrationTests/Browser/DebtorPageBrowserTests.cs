using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Browser;

/// <summary>The real host with a clock 600 times as fast, so that the first reminders reach the outbox within seconds.</summary>
public sealed class FastClockHost : EngineHost
{
    protected override IEnumerable<string> ExtraArgs =>
    [
        "--Recouvrement:Clock:Speed=600",
        "--Recouvrement:Clock:Start=2026-11-03T09:00:00Z", // a Tuesday, 10:00 in Paris: the send window is open
        $"--Recouvrement:Clock:Anchor={DateTimeOffset.UtcNow:O}",
        "--Recouvrement:Agency:Name=Cabinet Recouvrement Lyonnais",
        "--Recouvrement:Agency:Address=12 quai Saint-Vincent, 69001 Lyon",
    ];
}

/// <summary>
/// Debtors open the link from their message in headless Chromium (Debian's <c>/usr/bin/chromium</c>): one pays in
/// the sandbox, one takes a three-instalment plan, one disputes, and a tampered link shows nothing. Screenshots at
/// phone and desktop widths go to <c>artifacts/screenshots</c>.
/// </summary>
public sealed class DebtorPageBrowserTests(FastClockHost host) : IClassFixture<FastClockHost>, IAsyncLifetime
{
    private static readonly string Chromium = Environment.GetEnvironmentVariable("RECOUVREMENT_CHROMIUM") ?? "/usr/bin/chromium";
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    /// <summary>What Chromium reported the pages' Content-Security-Policy refused (a style, a form's target…).</summary>
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _refused = new();

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), $"the browser tests need Chromium at {Chromium} (apt-get install chromium)");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    private static string Screenshots
    {
        get
        {
            var folder = Environment.GetEnvironmentVariable("RECOUVREMENT_ARTIFACTS") is { Length: > 0 } configured
                ? Path.Combine(configured, "screenshots")
                : Path.Combine(RepositoryRoot(), "artifacts", "screenshots");
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "README.md")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? Path.GetTempPath();
    }

    /// <summary>Feeds a case a day overdue and returns the payment link of the first e-mail its debtor receives.</summary>
    private async Task<string> LinkFor(string debtor, string reference, decimal amount)
    {
        using var api = host.Client();
        var created = await api.PostAsJsonAsync("/api/v1/cases", new
        {
            reference, amount, issuedOn = "2026-10-02", dueOn = "2026-11-02",
            debtor = new { reference = debtor, kind = "consumer", name = "Marie Durand", email = $"{debtor.ToLowerInvariant()}@example.org", phone = "+33612345678" },
        });
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);

        var message = await Eventually.Get(
            () => Task.FromResult(Directory.GetFiles(host.OutboxFolder, "*.json")
                .Select(f => JsonNode.Parse(File.ReadAllText(f))!)
                .FirstOrDefault(m => m["debtorReference"]!.GetValue<string>() == debtor && m["channel"]!.GetValue<string>() == "email")),
            m => m is not null, TimeSpan.FromSeconds(60), $"the first e-mail to {debtor} in the outbox");
        return message!["paymentLink"]!.GetValue<string>();
    }

    private async Task<JsonObject> Case(string reference)
    {
        using var api = host.Client();
        return (await api.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{reference}"))!;
    }

    private async Task<IPage> Open(string link, int width = 390, int height = 844)
    {
        var page = await _browser.NewPageAsync(new() { ViewportSize = new() { Width = width, Height = height } });
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                _refused.Enqueue(message.Text);
            }
        };
        var response = await page.GotoAsync(link);
        Assert.StartsWith("default-src 'none';", await response!.HeaderValueAsync("content-security-policy") ?? string.Empty, StringComparison.Ordinal);
        return page;
    }

    /// <summary>The page works under its policy: its style applied, and nothing it did refused.</summary>
    private async Task AssertNothingRefused(IPage page)
    {
        await Assertions.Expect(page.Locator("body")).ToHaveCSSAsync("background-color", "rgb(244, 245, 247)");
        Assert.Empty(_refused);
    }

    private static async Task Shoot(IPage page, string name)
    {
        await page.SetViewportSizeAsync(390, 844);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, $"{name}-phone.png"), FullPage = true });
        await page.SetViewportSizeAsync(1280, 900);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, $"{name}-desktop.png"), FullPage = true });
    }

    [Fact]
    public async Task A_debtor_pays_one_case_in_the_sandbox_and_sees_it_paid()
    {
        var link = await LinkFor("WEB-PAY", "WEB-PAY-1", 42.50m);
        var page = await Open(link);
        await Shoot(page, "payment-page");
        Assert.Equal("fr", await page.GetAttributeAsync("html", "lang"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Facture du 02/10/2026 – réf. WEB-PAY-1" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Cabinet Recouvrement Lyonnais, 12 quai Saint-Vincent, 69001 Lyon")).ToBeVisibleAsync();

        // Keyboard only: the pay button is reachable and works with Enter.
        var pay = page.GetByRole(AriaRole.Button, new() { Name = "Payer 42,50 € par carte" });
        await pay.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Paiement de test (sandbox)" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Payer 42,50 €" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Merci, votre paiement est enregistré.");
        await Assertions.Expect(page.GetByText("Vous n'avez plus rien à régler. Merci.")).ToBeVisibleAsync();
        await Shoot(page, "payment-done");
        await AssertNothingRefused(page);
        var paid = await Case("WEB-PAY-1");
        Assert.Equal(("paid", 0m), (paid["status"]!.GetValue<string>(), paid["balance"]!.GetValue<decimal>()));
    }

    [Fact]
    public async Task A_debtor_chooses_a_three_instalment_plan()
    {
        var link = await LinkFor("WEB-PLAN", "WEB-PLAN-1", 90m);
        var page = await Open(link);
        await page.GetByText("Payer en plusieurs fois").ClickAsync();
        await page.GetByLabel("Nombre de mensualités").SelectOptionAsync("3");
        await Shoot(page, "plan-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "Demander cet échéancier" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Votre échéancier est en place");
        await Assertions.Expect(page.GetByText("Échéancier en cours")).ToBeVisibleAsync();
        var view = await Case("WEB-PLAN-1");
        await AssertNothingRefused(page);
        Assert.Equal("payment_plan", view["status"]!.GetValue<string>());
        Assert.Equal([30m, 30m, 30m], view["plan"]!["instalments"]!.AsArray().Select(i => i!["amount"]!.GetValue<decimal>()));
    }

    [Fact]
    public async Task A_debtor_disputes_a_case_in_english()
    {
        var link = await LinkFor("WEB-DISP", "WEB-DISP-1", 42.50m);
        var page = await Open(link + "?lang=en", width: 1280, height: 900);
        Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
        await page.GetByText("Dispute this invoice").ClickAsync();
        await page.GetByLabel("Reason").SelectOptionAsync("wrong_amount");
        await page.GetByLabel("Your message (optional)").FillAsync("The invoice was already refunded by my insurance.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send the dispute" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("reminders are suspended");
        await Shoot(page, "dispute-done");
        await AssertNothingRefused(page);
        var view = await Case("WEB-DISP-1");
        Assert.Equal("disputed", view["status"]!.GetValue<string>());
        Assert.Equal("wrong_amount", view["dispute"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_tampered_link_shows_no_data()
    {
        var link = await LinkFor("WEB-TAMPER", "WEB-TAMPER-1", 42.50m);
        var dot = link.LastIndexOf('.');
        var tampered = link[..(dot + 1)] + (link[dot + 1] == 'A' ? 'B' : 'A') + link[(dot + 2)..];
        var page = await Open(tampered);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ce lien n'est pas valable" })).ToBeVisibleAsync();
        var text = await page.InnerTextAsync("body");
        Assert.DoesNotContain("Marie", text, StringComparison.Ordinal);
        Assert.DoesNotContain("WEB-TAMPER-1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("42,50", text, StringComparison.Ordinal);
        await Shoot(page, "invalid-link");
        await AssertNothingRefused(page);
    }
}
