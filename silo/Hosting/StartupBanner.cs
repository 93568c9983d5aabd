using System.Security.Cryptography;
using Recouvrement.Api.Access;
using Recouvrement.Creditors;

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
    IGrainFactory grains, IConfiguration configuration, IOptions<DemoOptions> demo, ILogger<StartupBanner> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
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
        // On a restart of the durable profile the creditor already exists: onboarding is then a no-op, the bind is not.
        await grains.GetGrain<ICreditorGrain>(options.CreditorId).Onboard(options.Name);
        await grains.GetGrain<Recouvrement.Access.IApiKeyGrain>(ApiKeys.Hash(key)).Bind(options.CreditorId);
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

    /// <summary>A random operator key for the embedded default when none is configured.</summary>
    public static string NewOperatorKey() => "op_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedded mode: in-memory storage and reminders, nothing is durable")]
    private static partial void LogNotDurable(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo creditor {CreditorId} ready with the configured key")]
    private static partial void LogDemoCreditor(ILogger logger, string creditorId);
}
