using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;
using Recouvrement.Api.ReadSide;
using Recouvrement.Events;
using Recouvrement.Silo.Events;
using Recouvrement.Silo.Storage;

namespace Recouvrement.Silo.Hosting;

/// <summary>
/// The read side of a silo: the event log (in PostgreSQL, written with the grain states; in memory embedded), its
/// relay to the event stream, the stream provider, and the read model the projection keeps.
/// </summary>
public static class ReadSideHosting
{
    public static ISiloBuilder AddReadSide(this ISiloBuilder silo, IConfiguration configuration, bool durable)
    {
        var services = silo.Services;
        services.AddOptions<EventRelayOptions>().Bind(configuration.GetSection("Recouvrement:Events"))
            .Validate(o => o.PollInterval > TimeSpan.Zero && o.BatchSize is > 0 and <= 10_000, "Recouvrement:Events: PollInterval must be positive, BatchSize 1 to 10,000")
            .ValidateOnStart();
        if (durable)
        {
            services.AddSingleton<IEventLog>(sp => new PostgresEventLog(sp.GetRequiredService<NpgsqlDataSource>(), ServiceId(sp)));
            services.AddSingleton<ICaseSummaryReader>(sp => new PostgresCaseSummaryReader(sp.GetRequiredService<NpgsqlDataSource>(), ServiceId(sp)));
            services.AddSingleton<ICaseSummaryWriter>(sp => new PostgresCaseSummaryWriter(
                sp.GetRequiredService<NpgsqlDataSource>(), ServiceId(sp),
                configuration.GetSection("Recouvrement:Storage").Get<StorageWriteOptions>() ?? new StorageWriteOptions(),
                sp.GetRequiredService<ILogger<PostgresCaseSummaryWriter>>()));
            services.AddSingleton<IEventCursorStore>(sp => new PostgresEventCursorStore(sp.GetRequiredService<NpgsqlDataSource>(), ServiceId(sp)));
        }
        else
        {
            // Grains write through Orleans' memory storage, and each write's events go to the in-memory log.
            silo.AddMemoryGrainStorage(EventedMemoryStorage.InnerName);
            services.AddSingleton<MemoryEventLog>();
            services.AddSingleton<IEventLog>(sp => sp.GetRequiredService<MemoryEventLog>());
            services.AddKeyedSingleton<IGrainStorage>(StorageNames.Default, (sp, _) => new EventedMemoryStorage(
                sp.GetRequiredKeyedService<IGrainStorage>(EventedMemoryStorage.InnerName), sp.GetRequiredService<MemoryEventLog>(), sp.GetRequiredService<MemoryCaseSummaries>()));
            services.AddSingleton<MemoryCaseSummaries>();
            services.AddSingleton<ICaseSummaryWriter>(sp => sp.GetRequiredService<MemoryCaseSummaries>());
            services.AddSingleton<ICaseSummaryReader>(sp => sp.GetRequiredService<MemoryCaseSummaries>());
            services.AddSingleton<IEventCursorStore, MemoryEventCursorStore>();
        }

        // The stream's consumers subscribe implicitly; the pub-sub store serves explicit subscriptions, which none makes.
        silo.AddMemoryStreams(EventStreams.Provider);
        silo.AddMemoryGrainStorage("PubSubStore");
        services.AddHostedService<EventRelay>();
        return silo;
    }

    private static string ServiceId(IServiceProvider services) => services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId;
}
