using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Recouvrement.Calendar;
using Recouvrement.Channels;
using Recouvrement.Messaging;
using Recouvrement.Silo.Hosting;
using Recouvrement.Silo.Simulation;

namespace Recouvrement.Silo.Demo;

/// <summary>
/// The <c>demo</c> command's portfolio: once the engine answers HTTP, feeds the demo creditor a case per simulated
/// debtor through the API, prints where to look, then runs the <see cref="SimulatedDebtors"/> (the simulator's own)
/// against this process until it stops, with a line of progress every few seconds.
/// </summary>
public sealed partial class DemoPortfolio(
    IServer server,
    IHostApplicationLifetime lifetime,
    IOptions<DemoOptions> demo,
    IConfiguration configuration,
    SimulatedProviders providers,
    OutboxFolderChannel outbox,
    LetterChannel letters,
    ILogger<DemoPortfolio> logger) : BackgroundService
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            await started.Task;
        }

        var options = demo.Value;
        var url = Address();
        var dayZero = DateTimeOffset.Parse(configuration["Recouvrement:Clock:Start"]!, CultureInfo.InvariantCulture);
        var speed = configuration.GetValue("Recouvrement:Clock:Speed", DemoCommand.DefaultSpeed);
        using var creditor = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(2) };
        creditor.DefaultRequestHeaders.Authorization = new("Bearer", options.ApiKey);
        var portfolio = new Portfolio(Population.Default(), options.Seed, ParisTime.DateOf(dayZero).AddDays(-1));
        await portfolio.FeedAsync(creditor, options.Debtors, stoppingToken);
        Console.Out.Write(Banner(url, options, dayZero, speed, await InvitationAsync(url, options, stoppingToken)));

        using var debtors = new SimulatedDebtors(url, options.CreditorId, options.ApiKey!, outbox.Folder, letters.Folder, portfolio, providers, _ => string.Empty, dayZero);
        var clock = new ScaledTimeProvider(new ClockOptions { Speed = speed, Start = dayZero, Anchor = DateTimeOffset.Parse(configuration["Recouvrement:Clock:Anchor"]!, CultureInfo.InvariantCulture) }, TimeProvider.System);
        var shownPages = false;
        var lastProgress = DateTimeOffset.UtcNow;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await debtors.ReadNewMessagesAsync();
                if (!shownPages && debtors.PageLinks.Count >= 3)
                {
                    shownPages = true;
                    Console.Out.WriteLine("Demo: debtor pages, as their first messages link them (open one in a browser):");
                    foreach (var (debtor, page) in debtors.PageLinks.OrderBy(p => p.Key, StringComparer.Ordinal).Take(3))
                    {
                        Console.Out.WriteLine($"  {url.GetLeftPart(UriPartial.Authority)}{page}  ({debtor}, {portfolio.Types[debtor].Name})");
                    }
                }

                if (DateTimeOffset.UtcNow - lastProgress >= ProgressEvery)
                {
                    lastProgress = DateTimeOffset.UtcNow;
                    Console.Out.WriteLine(await ProgressAsync(creditor, debtors, (clock.GetUtcNow() - dayZero).TotalDays, stoppingToken));
                }

                await Task.Delay(200, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or IOException)
            {
                // A request the engine refused or a file it was still writing: the next round tries again.
                LogRoundFailed(logger, e.GetType().Name);
                await Task.Delay(1_000, stoppingToken);
            }
        }
    }

    private Uri Address()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? SiloHost.DefaultUrl;
        return new Uri(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("0.0.0.0", "localhost", StringComparison.Ordinal).Replace("[::]", "localhost", StringComparison.Ordinal));
    }

    /// <summary>An invitation for a console user of the demo creditor, through the operator API; null without an operator key.</summary>
    private async Task<string?> InvitationAsync(Uri url, DemoOptions options, CancellationToken cancellationToken)
    {
        if (configuration["Recouvrement:OperatorKey"] is not { Length: > 0 } operatorKey)
        {
            return null;
        }

        using var admin = new HttpClient { BaseAddress = url };
        admin.DefaultRequestHeaders.Authorization = new("Bearer", operatorKey);
        using var invited = await admin.PostAsJsonAsync($"/api/v1/admin/creditors/{options.CreditorId}/users", new { email = "demo@example.org", role = "admin" }, cancellationToken);
        return invited.IsSuccessStatusCode ? (await invited.Content.ReadFromJsonAsync<JsonNode>(cancellationToken))?["invitationUrl"]?.GetValue<string>() : null;
    }

    private string Banner(Uri url, DemoOptions options, DateTimeOffset dayZero, double speed, string? invitation)
    {
        var root = url.GetLeftPart(UriPartial.Authority);
        var lines = new List<string>
        {
            string.Empty,
            string.Create(CultureInfo.InvariantCulture, $"Demo: {options.Debtors:N0} simulated debtors (seed {options.Seed}), one case each, due on {ParisTime.DateOf(dayZero).AddDays(-1):dddd d MMMM yyyy}."),
            string.Create(CultureInfo.InvariantCulture, $"  The engine clock runs {speed:N0} times real time ({86_400 / speed:0.#} s a day): day 1 of the schedule comes in about {DemoCommand.Lead.TotalSeconds:0} s,"),
            "  the formal notices about 22 days later, the escalations at day 37. The debtors answer through the debtor page,",
            "  the sandbox checkout and the providers' signed webhooks, as loadtests/simulation/population.json says.",
            $"  Messages: {outbox.Folder} (e-mails and SMS, one JSON file each); letters: {letters.Folder}",
            $"  Creditor API: curl -H 'Authorization: Bearer {options.ApiKey}' '{root}/api/v1/cases?status=payment_plan'",
            invitation is null
                ? $"  Console: {root}/console/operator/signin with the operator key"
                : $"  Console: {invitation} sets a password for demo@example.org, then {root}/console/signin; the operator signs in at {root}/console/operator/signin with the operator key",
            "Press Ctrl+C to stop.",
        };
        return string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }

    private static async Task<string> ProgressAsync(HttpClient creditor, SimulatedDebtors debtors, double day, CancellationToken cancellationToken)
    {
        var escalated = await creditor.GetFromJsonAsync<JsonNode>("/api/v1/cases?status=escalated&limit=100", cancellationToken);
        var count = escalated?["items"]?.AsArray().Count ?? 0;
        var more = escalated?["nextCursor"] is not null ? "+" : string.Empty;
        int Outcome(string what) => debtors.Outcomes.GetValueOrDefault(what);
        return string.Create(CultureInfo.InvariantCulture,
            $"Demo day {day,5:0.0}: {debtors.Messages.Count:N0} messages; paid {Outcome("paid") + Outcome("transfer")}, plans {Outcome("plan") + Outcome("plan_proposed")}, instalments {Outcome("instalment")}, disputes {Outcome("disputed")}, STOP {Outcome("stop")}, bounces {Outcome("bounce") + Outcome("invalid_number")}, escalated {count}{more}");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A round of the demo's debtors failed ({Error}); the next one tries again")]
    private static partial void LogRoundFailed(ILogger logger, string error);
}
