using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Recouvrement.LoadTests.Infrastructure;

/// <summary>A grain that does nothing: what a bare Orleans call costs on this machine.</summary>
public interface IPingGrain : IGrainWithIntegerKey
{
    Task<int> Ping(int value);
}

public sealed class PingGrain : Grain, IPingGrain
{
    public Task<int> Ping(int value) => Task.FromResult(value + 1);
}

/// <summary>
/// The second baseline: calls per second to an empty grain in a one-silo in-memory cluster in this process,
/// with the same concurrency as the scenario. It prices the Orleans machinery alone, with no storage and no HTTP.
/// </summary>
public static class GrainCallBaseline
{
    public static async Task<double> RunAsync(TimeSpan duration, int concurrency)
    {
        using var host = new HostBuilder()
            .UseOrleans(silo => silo.UseLocalhostClustering(Engine.FreePort(), Engine.FreePort()))
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .Build();
        await host.StartAsync();
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        for (var i = 0; i < 1000; i++)
        {
            await grains.GetGrain<IPingGrain>(i % 100).Ping(i); // warm-up: activate the grains
        }

        long calls = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency * 8).Select(async worker =>
        {
            var grain = grains.GetGrain<IPingGrain>(worker % 100);
            while (watch.Elapsed < duration)
            {
                await grain.Ping(worker);
                Interlocked.Increment(ref calls);
            }
        }));
        var rate = calls / watch.Elapsed.TotalSeconds;
        await host.StopAsync();
        return rate;
    }
}
