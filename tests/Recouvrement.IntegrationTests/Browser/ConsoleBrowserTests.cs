using System.Net.Http.Json;
using Microsoft.Playwright;
using Recouvrement.Tests.Console;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Browser;

/// <summary>
/// The console in headless Chromium (Debian's <c>/usr/bin/chromium</c>): an invited agent sets a password, signs in, sees
/// the overview with its figures and charts, filters the cases, opens one, records a transfer and sees the case paid and
/// the overview's figures move (recovered, open cases, rates, payments by channel); signing out ends the session. Screenshots at 390 px and 1280 px go to <c>artifacts/screenshots</c>.
/// </summary>
public sealed class ConsoleBrowserTests(ConsoleHost host) : IClassFixture<ConsoleHost>, IAsyncLifetime
{
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

    internal static string Screenshots
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

    private async Task<IPage> NewPage(int width)
    {
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = 900 }, BaseURL = host.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                refused.Enqueue(message.Text);
            }
        };
        return page;
    }

    /// <summary>Reloads the overview until its open-cases figure (the third) reads <paramref name="open"/>: the projection is a moment behind.</summary>
    private static Task Overview(IPage page, string open, string expectation) => Eventually.Get(async () =>
    {
        await page.GotoAsync("/console");
        return await page.Locator(".figure").Nth(2).InnerTextAsync();
    }, text => text == open, TimeSpan.FromSeconds(30), expectation);

    [Theory]
    [InlineData(390)]
    [InlineData(1280)]
    public async Task An_invited_agent_signs_in_filters_the_cases_records_a_transfer_and_signs_out(int width)
    {
        var (creditor, key) = await host.OnboardAsync("Laboratoire Part-Dieu", commissionRate: 10m);
        using var api = host.Client(key);
        var prefix = $"W{width}-";
        await ApiCases.Create(api, prefix + "FAC-1", prefix + "PAT-1");
        await ApiCases.Create(api, prefix + "FAC-2", prefix + "PAT-2");
        using var operatorClient = host.Client(EngineHost.OperatorKey);
        var email = ConsoleHost.NewEmail("browser");
        var link = await ConsoleVisitor.Invite(operatorClient, creditor, email, "agent");

        var page = await NewPage(width);
        await page.GotoAsync(new Uri(link).PathAndQuery);
        await page.GetByLabel("Choisissez un mot de passe").FillAsync("correct horse battery");
        await page.GetByLabel("Confirmez le mot de passe").FillAsync("correct horse battery");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer le mot de passe" }).ClickAsync();
        await page.GetByLabel("Adresse e-mail").FillAsync(email);
        await page.GetByLabel("Mot de passe").FillAsync("correct horse battery");
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Vue d'ensemble" })).ToBeVisibleAsync();
        // The overview reads the counters the projection keeps: once it has both cases, two are open and nothing is recovered.
        await Overview(page, "2", "the overview to count the two open cases");
        await Assertions.Expect(page.Locator(".figure").First).ToHaveTextAsync("0,00 €");
        foreach (var chart in new[] { "chart-curves", "chart-funnel", "chart-channels" })
        {
            await Assertions.Expect(page.Locator($"figure svg#{chart}[role=img]")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator($"svg#{chart} > title")).Not.ToBeEmptyAsync();
        }

        await Assertions.Expect(page.Locator("svg#chart-funnel")).ToContainTextAsync("Intégrés");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, $"console-overview-{width}.png"), FullPage = true });

        await page.GetByRole(AriaRole.Link, new() { Name = "Dossiers" }).First.ClickAsync();
        await page.GetByLabel("Référence du débiteur").FillAsync(prefix + "PAT-2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filtrer" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = prefix + "FAC-2" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = prefix + "FAC-1" })).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, $"console-cases-{width}.png"), FullPage = true });

        await page.GetByRole(AriaRole.Link, new() { Name = prefix + "FAC-2" }).ClickAsync();
        await page.GetByLabel("Référence du virement").FillAsync("VIR-" + width);
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("C'est fait.");
        await Assertions.Expect(page.Locator("dd").First).ToContainTextAsync("payé");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, $"console-case-{width}.png"), FullPage = true });

        await page.GetByRole(AriaRole.Link, new() { Name = "Vue d'ensemble" }).ClickAsync();
        await Overview(page, "1", "the overview to count one open case after the transfer");
        await Assertions.Expect(page.Locator(".figure").First).ToHaveTextAsync("42,50 €");
        await Assertions.Expect(page.Locator(".figure").Nth(1)).ToHaveTextAsync("42,50 €");
        await Assertions.Expect(page.Locator(".figure").Nth(4)).ToHaveTextAsync("50,0 %");
        await Assertions.Expect(page.Locator("svg#chart-channels rect")).ToHaveCountAsync(1);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, $"console-overview-paid-{width}.png"), FullPage = true });

        await page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Vous êtes déconnecté.")).ToBeVisibleAsync();
        await page.GotoAsync("/console");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Connexion à la console" })).ToBeVisibleAsync();
        Assert.Empty(refused);
    }
}
