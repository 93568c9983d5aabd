using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Recouvrement.Api.Hosting;

/// <summary>
/// The engine's PostgreSQL: <c>ConnectionStrings:Recouvrement</c>, given the engine's defaults, and one
/// <see cref="NpgsqlDataSource"/> (one pool) for every component of the process that talks to it: Orleans' ADO.NET
/// clustering, grain storage and reminders (through their <c>DataSource</c> option), and the engine's own tables.
/// </summary>
public static class EngineDatabase
{
    /// <summary>The ADO.NET invariant name Orleans' providers know PostgreSQL by.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>
    /// How long opening a connection may take unless the connection string says otherwise (Npgsql's own default is
    /// 15 s): a database that is down makes a request fail with 503 within a few seconds instead of hanging.
    /// </summary>
    public const int DefaultConnectTimeoutSeconds = 3;

    /// <summary>True when a database is configured: the durable profile.</summary>
    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration.GetConnectionString("Recouvrement"));

    /// <summary>The configured connection string with the engine's defaults, or null in the embedded profile.</summary>
    public static string? ConnectionString(IConfiguration configuration)
    {
        var configured = configuration.GetConnectionString("Recouvrement");
        if (string.IsNullOrWhiteSpace(configured))
        {
            return null;
        }

        var builder = new NpgsqlConnectionStringBuilder(configured);
        if (!configured.Contains("Timeout", StringComparison.OrdinalIgnoreCase))
        {
            builder.Timeout = DefaultConnectTimeoutSeconds;
        }

        return builder.ConnectionString;
    }

    /// <summary>Registers the one data source of the process, when a database is configured; a second call adds nothing.</summary>
    public static IServiceCollection AddEngineDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        if (ConnectionString(configuration) is { } connectionString)
        {
            services.TryAddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        }

        return services;
    }
}

/// <summary>Ready when PostgreSQL answers (always, in the embedded in-memory mode); on every process, the API tier too.</summary>
public sealed class DatabaseReadyCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<NpgsqlDataSource>() is not { } database)
        {
            return HealthCheckResult.Healthy("embedded in-memory storage");
        }

        try
        {
            await using var command = database.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("PostgreSQL answers");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL does not answer", e);
        }
    }
}
