using Npgsql;
using Recouvrement.Access;

namespace Recouvrement.Silo.Storage;

/// <summary>
/// Keeps the keys of deployments from before per-creditor keys working: at each start of a silo on PostgreSQL, the
/// keys stored the old way (<see cref="IApiKeyGrain"/> rows: grain type <c>apikey</c>, key = the key's SHA-256) that
/// the directory does not hold are added to their creditor's keys, which binds them in the directory. Adding is
/// idempotent on the hash and a revoked key stays revoked, so this is safe on every start and on every silo; the old
/// rows are left as they are. One query and, for each key not yet in the directory, two grain calls.
/// </summary>
public sealed partial class LegacyApiKeyImport(NpgsqlDataSource database, string serviceId, IGrainFactory grains, ILogger<LegacyApiKeyImport> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var hashes = await LegacyHashesAsync(cancellationToken);
        if (hashes.Count == 0)
        {
            return;
        }

        var directory = await grains.Reference<IApiKeyDirectoryGrain>(IApiKeyDirectoryGrain.SingletonKey).Changes(-1);
        var added = 0;
        foreach (var hash in hashes.Where(h => directory is null || !directory.Bindings.ContainsKey(h)))
        {
            if (await grains.Reference<IApiKeyGrain>(hash).Resolve() is { } creditorId
                && await grains.Reference<ICreditorKeysGrain>(creditorId).Add(hash) is { RevokedAt: null })
            {
                added++;
            }
        }

        if (added > 0)
        {
            LogImported(logger, added);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<List<string>> LegacyHashesAsync(CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("""
            SELECT grain_id_extension FROM orleans_grain_state
            WHERE service_id = @service_id AND grain_type = 'apikey' AND payload IS NOT NULL
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("service_id", serviceId));
        var hashes = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            hashes.Add(reader.GetString(0));
        }

        return hashes;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} API keys stored the old way were added to their creditors' keys")]
    private static partial void LogImported(ILogger logger, int count);
}
