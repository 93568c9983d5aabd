using System.Security.Cryptography;
using Recouvrement.Access;
using Recouvrement.Api.Access;
using Recouvrement.Channels;
using Recouvrement.Creditors;
using Recouvrement.Messaging;

namespace Recouvrement.Silo.Hosting;

/// <summary>The demo creditor: made at start-up in the embedded default, or whenever <c>Recouvrement:Demo:ApiKey</c> is set.</summary>
public sealed class DemoOptions
{
    /// <summary>The demo creditor's API key. Default: a new random key, printed at start-up.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The demo creditor's id. Default: <c>demo</c>.</summary>
    public string CreditorId { get; set; } = "demo";

    /// <summary>The demo creditor's name, as messages show it. Default: <c>Laboratoire Démo</c>.</summary>
    public string Name { get; set; } = "Laboratoire Démo";
}

/// <summary>
/// Runs once the silo is up: onboards the demo creditor when asked, and says loudly what kind of storage is in use.
/// </summary>
public sealed partial class StartupBanner(
    IGrainFactory grains, IConfiguration configuration, IOptions<DemoOptions> demo, IServiceProvider services, ILogger<StartupBanner> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ReportChannels();
        var durable = EngineSilo.IsDurable(configuration);
        if (!durable)
        {
            LogNotDurable(logger);
            Console.WriteLine("""

                ************************************************************************************
                *  EMBEDDED MODE: in-memory storage and reminders. NOTHING IS DURABLE: every case, *
                *  debtor and key is lost when this process stops. Set ConnectionStrings__Recouvrement *
                *  to a PostgreSQL database for a durable engine.                                  *
                ************************************************************************************
                """);
            Console.WriteLine($"Operator key (Recouvrement:OperatorKey): {configuration["Recouvrement:OperatorKey"]}");
        }

        var options = demo.Value;
        if (durable && string.IsNullOrEmpty(options.ApiKey))
        {
            return;
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

        if (string.IsNullOrEmpty(options.ApiKey))
        {
            Console.WriteLine($"Demo creditor '{options.CreditorId}' API key: {key}");
        }
        else
        {
            LogDemoCreditor(logger, options.CreditorId);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Says where each channel's messages go, and what is missing for letters to be lawful and legible.</summary>
    private void ReportChannels()
    {
        var sendGrid = services.GetRequiredService<IOptions<SendGridOptions>>().Value;
        var twilio = services.GetRequiredService<IOptions<TwilioOptions>>().Value;
        var outbox = services.GetRequiredService<OutboxFolderChannel>().Folder;
        LogChannel(logger, "e-mail", sendGrid.Enabled ? $"SendGrid at {sendGrid.BaseUrl}" : $"outbox folder {outbox}");
        LogChannel(logger, "SMS", twilio.Enabled ? $"Twilio at {twilio.BaseUrl}" : $"outbox folder {outbox}");
        LogChannel(logger, "letters", $"PDF folder {services.GetRequiredService<LetterChannel>().Folder}");
        if (twilio.Enabled && string.IsNullOrEmpty(twilio.WebhookBaseUrl))
        {
            LogNoCallbacks(logger);
        }

        if (!services.GetRequiredService<IOptions<AgencyOptions>>().Value.IsConfigured)
        {
            LogAgencyMissing(logger);
        }

        if (!services.GetRequiredService<LetterPdf>().HasUnicodeFont)
        {
            LogNoFont(logger);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {Channel}: {Destination}")]
    private static partial void LogChannel(ILogger logger, string channel, string destination);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Twilio is on without Recouvrement:Channels:Twilio:WebhookBaseUrl: no status callbacks, so dead numbers are only learnt when Twilio refuses a send")]
    private static partial void LogNoCallbacks(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recouvrement:Agency:Name and Address are not set: letters and e-mails must name the collection agency (CPCE R124-4)")]
    private static partial void LogAgencyMissing(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No TrueType font for letters (install fonts-dejavu-core or set Recouvrement:Channels:Letters:FontPath): letters print without accents")]
    private static partial void LogNoFont(ILogger logger);

    /// <summary>A random operator key for the embedded default when none is configured.</summary>
    public static string NewOperatorKey() => "op_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedded mode: in-memory storage and reminders, nothing is durable")]
    private static partial void LogNotDurable(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The configured demo key already opens another creditor than {CreditorId}: it is not added")]
    private static partial void LogDemoKeyTaken(ILogger logger, string creditorId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The configured demo key of {CreditorId} ({KeyId}) was revoked: it stays revoked")]
    private static partial void LogDemoKeyRevoked(ILogger logger, string creditorId, string keyId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo creditor {CreditorId} ready with the configured key")]
    private static partial void LogDemoCreditor(ILogger logger, string creditorId);
}
