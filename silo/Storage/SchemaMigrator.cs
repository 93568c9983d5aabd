using System.Reflection;
using Npgsql;

namespace Recouvrement.Silo.Storage;

/// <summary>
/// Brings the PostgreSQL schema up to date before Orleans starts: the tables and named queries of the Orleans
/// ADO.NET providers, then the project's own. Each script runs once, in order, under an advisory lock so that
/// silos starting together do not race; the scripts are idempotent besides.
/// </summary>
public sealed partial class SchemaMigrator(NpgsqlDataSource database, ILogger<SchemaMigrator> logger) : IHostedService
{
    private const long LockId = 0x5265636f7576; // "Recouv"

    public static IReadOnlyList<(string Version, string Sql)> Scripts()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        return [.. assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("Schema.", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => (n["Schema.".Length..^".sql".Length], Read(assembly, n)))];
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Execute(connection, $"SELECT pg_advisory_xact_lock({LockId});", cancellationToken);
        await Execute(connection, """
            CREATE TABLE IF NOT EXISTS recouvrement_schema_migrations (
                version text PRIMARY KEY,
                applied_at timestamptz NOT NULL DEFAULT now());
            """, cancellationToken);
        foreach (var (version, sql) in Scripts())
        {
            await using var check = new NpgsqlCommand("SELECT 1 FROM recouvrement_schema_migrations WHERE version = @v", connection);
            check.Parameters.AddWithValue("v", version);
            if (await check.ExecuteScalarAsync(cancellationToken) is not null)
            {
                continue;
            }

            await Execute(connection, sql, cancellationToken);
            await using var record = new NpgsqlCommand("INSERT INTO recouvrement_schema_migrations (version) VALUES (@v)", connection);
            record.Parameters.AddWithValue("v", version);
            await record.ExecuteNonQueryAsync(cancellationToken);
            LogApplied(logger, version);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema script {Version} applied")]
    private static partial void LogApplied(ILogger logger, string version);
}
