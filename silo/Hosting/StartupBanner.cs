using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Recouvrement.Access;
using Recouvrement.Api.Access;
using Recouvrement.Calendar;
using Recouvrement.Channels;
using Recouvrement.Creditors;
using Recouvrement.Messaging;

namespace Recouvrement.Silo.Hosting;

/// <summary>
/// Onboards the demo creditor when asked, then, once everything has started, prints what a person needs to begin:
/// the address, the keys, where messages go, whether anything is durable, the dashboard, and what is missing.
/// It is the last thing a start prints (the frameworks' information lines start at Warning, see <see cref="FrameworkLogLevels"/>).
/// </summary>
public sealed partial class StartupBanner(
    IGrainFactory grains,
    IConfiguration configuration,
    IOptions<DemoOptions> demo,
    IServiceProvider services,
    IHostApplicationLifetime lifetime,
    ILogger<StartupBanner> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var demoLine = await OnboardDemoCreditorAsync(cancellationToken);
        // After every hosted service and the HTTP server: nothing the start prints comes after the banner.
        lifetime.ApplicationStarted.Register(() => Console.Out.Write(Text(demoLine)));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A random operator key for the embedded default when none is configured.</summary>
    public static string NewOperatorKey() => "op_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    /// <summary>Onboards the demo creditor when there is one, and returns the banner's line about it.</summary>
    private async Task<string?> OnboardDemoCreditorAsync(CancellationToken cancellationToken)
    {
        var options = demo.Value;
        if (EngineSilo.IsDurable(configuration) && string.IsNullOrEmpty(options.ApiKey))
        {
            return null;
        }

        var key = string.IsNullOrEmpty(options.ApiKey) ? ApiKeys.NewKey() : options.ApiKey;
        // On a restart of the durable profile the creditor and its key already exist: both calls are then no-ops.
        await grains.Reference<ICreditorGrain>(options.CreditorId).Onboard(options.Name);
        var added = await grains.Reference<ICreditorKeysGrain>(options.CreditorId).Add(ApiKeys.Hash(key));
        if (added is null)
        {
            LogDemoKeyTaken(logger, options.CreditorId);
        }
        else if (added.RevokedAt is not null)
        {
            LogDemoKeyRevoked(logger, options.CreditorId, added.Id);
        }

        if (services.GetService<ApiKeyDirectory>() is { } directory)
        {
            await directory.RefreshAsync(cancellationToken);
        }

        return string.IsNullOrEmpty(options.ApiKey)
            ? $"Demo creditor '{options.CreditorId}' API key: {key}"
            : $"Demo creditor '{options.CreditorId}': ready with the configured key (Recouvrement:Demo:ApiKey)";
    }

    private string Text(string? demoLine)
    {
        var durable = EngineSilo.IsDurable(configuration);
        var url = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? SiloHost.DefaultUrl;
        var lines = new List<string> { string.Empty };
        if (!durable)
        {
            lines.AddRange(Box(
                "EMBEDDED MODE: in-memory storage and reminders. NOTHING IS DURABLE: every case,",
                "debtor and key is lost when this process stops. For a durable engine, set",
                "ConnectionStrings__Recouvrement to a PostgreSQL database."));
        }

        lines.Add($"Recouvrement is running on {url}");
        lines.Add(durable ? "  Storage: PostgreSQL, durable" : "  Storage: in memory, not durable (embedded mode)");
        var operatorKey = configuration["Recouvrement:OperatorKey"];
        lines.Add(string.IsNullOrEmpty(operatorKey)
            ? "  Operator key: none, so the admin API and the dashboard are closed (set Recouvrement:OperatorKey)"
            : durable ? "  Operator key: the configured one (Recouvrement:OperatorKey)" : $"  Operator key (Recouvrement:OperatorKey): {operatorKey}");
        if (demoLine is not null)
        {
            lines.Add("  " + demoLine);
        }

        lines.AddRange(Channels().Select(line => "  " + line));
        if (Observability.DashboardEnabled(configuration) && !string.IsNullOrEmpty(operatorKey))
        {
            lines.Add($"  Dashboard: {url.TrimEnd('/')}{Observability.DashboardPath} (sign in with any user name and the operator key as password)");
        }

        if (services.GetKeyedService<TimeProvider>(EngineClock.Key) is ScaledTimeProvider clock)
        {
            var speed = services.GetRequiredService<IOptions<ClockOptions>>().Value.Speed;
            // In Paris time, as send windows are.
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"  Engine clock: {speed:0.###} times real time, now {ParisTime.ToParis(clock.GetUtcNow()):dddd yyyy-MM-dd HH:mm} in Paris (Recouvrement:Clock)"));
        }

        lines.AddRange(Warnings().Select(warning => "  Warning: " + warning));
        lines.Add("Press Ctrl+C to stop.");
        return string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }

    /// <summary>Where each channel's messages go.</summary>
    private IEnumerable<string> Channels()
    {
        var sendGrid = services.GetRequiredService<IOptions<SendGridOptions>>().Value;
        var twilio = services.GetRequiredService<IOptions<TwilioOptions>>().Value;
        var outbox = $"the outbox folder {services.GetRequiredService<OutboxFolderChannel>().Folder}, one JSON file per message";
        if (!sendGrid.Enabled && !twilio.Enabled)
        {
            yield return $"E-mail and SMS: {outbox}";
        }
        else
        {
            yield return $"E-mail: {(sendGrid.Enabled ? $"SendGrid at {sendGrid.BaseUrl}" : outbox)}";
            yield return $"SMS: {(twilio.Enabled ? $"Twilio at {twilio.BaseUrl}" : outbox)}";
        }

        yield return $"Letters: PDF files in {services.GetRequiredService<LetterChannel>().Folder}";
    }

    /// <summary>What is missing for messages to be lawful, legible or followed up.</summary>
    private IEnumerable<string> Warnings()
    {
        if (!services.GetRequiredService<IOptions<AgencyOptions>>().Value.IsConfigured)
        {
            yield return "Recouvrement:Agency:Name and Address are not set: letters and e-mails must name the collection agency (CPCE R124-4)";
        }

        if (!services.GetRequiredService<LetterPdf>().HasUnicodeFont)
        {
            yield return "no TrueType font for letters (install fonts-dejavu-core or set Recouvrement:Channels:Letters:FontPath): letters print without accents";
        }

        var twilio = services.GetRequiredService<IOptions<TwilioOptions>>().Value;
        if (twilio.Enabled && string.IsNullOrEmpty(twilio.WebhookBaseUrl))
        {
            yield return "Twilio is on without Recouvrement:Channels:Twilio:WebhookBaseUrl: no status callbacks, so dead numbers are only learnt when Twilio refuses a send";
        }
    }

    private static IEnumerable<string> Box(params string[] text)
    {
        var width = text.Max(line => line.Length);
        var border = new string('*', width + 6);
        return [border, .. text.Select(line => $"*  {line.PadRight(width)}  *"), border];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The configured demo key already opens another creditor than {CreditorId}: it is not added")]
    private static partial void LogDemoKeyTaken(ILogger logger, string creditorId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The configured demo key of {CreditorId} ({KeyId}) was revoked: it stays revoked")]
    private static partial void LogDemoKeyRevoked(ILogger logger, string creditorId, string keyId);
}
