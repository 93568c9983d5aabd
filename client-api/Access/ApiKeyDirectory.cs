using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using Recouvrement.Access;

namespace Recouvrement.Api.Access;

/// <summary>
/// This process's copy of the key directory (<see cref="IApiKeyDirectoryGrain"/>): loaded in full at start, refreshed
/// every <see cref="ApiKeyOptions.RefreshInterval"/> and at once after a change made through this process.
/// Authenticating a request is a dictionary lookup; an unknown token is refused from here, without any grain call.
/// </summary>
public sealed partial class ApiKeyDirectory(IGrainFactory grains, IOptions<ApiKeyOptions> options, TimeProvider time, ILogger<ApiKeyDirectory> logger)
    : BackgroundService
{
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private volatile Copy? _current;

    /// <summary>False until the first snapshot arrives: a token can then be neither accepted nor refused.</summary>
    public bool IsLoaded => _current is not null;

    /// <summary>The version of the snapshot in use, -1 before the first.</summary>
    public long Version => _current?.Version ?? -1;

    /// <summary>What the key with this SHA-256 opens, or null for a key that is unknown or revoked.</summary>
    public ApiKeyBinding? Find(string keyHash) =>
        _current is { } copy && copy.Bindings.TryGetValue(keyHash, out var binding) ? binding : null;

    /// <summary>Asks the directory for changes now; what was changed before the call is in use when it returns.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            var directory = grains.Reference<IApiKeyDirectoryGrain>(IApiKeyDirectoryGrain.SingletonKey);
            if (await directory.Changes(Version) is { } snapshot)
            {
                _current = new Copy(snapshot.Version, snapshot.Bindings.ToFrozenDictionary(StringComparer.Ordinal));
            }
        }
        finally
        {
            _refreshing.Release();
        }
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RefreshAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The cluster may not be reachable yet (the API tier alone); the loop keeps asking, and requests get 503 meanwhile.
            LogRefreshFailed(logger, e);
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RefreshInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var before = Version;
                await RefreshAsync(stoppingToken);
                if (Version != before)
                {
                    LogRefreshed(logger, Version, _current!.Bindings.Count);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRefreshFailed(logger, e);
            }
        }
    }

    /// <summary>A snapshot as this process reads it: a frozen dictionary, built once per version, for the lookup of every request.</summary>
    private sealed record Copy(long Version, FrozenDictionary<string, ApiKeyBinding> Bindings);

    public override void Dispose()
    {
        _refreshing.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "API key directory at version {Version}: {Count} live keys")]
    private static partial void LogRefreshed(ILogger logger, long version, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh the API key directory; the last copy stays in use")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
