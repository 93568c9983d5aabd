using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;
using Orleans.Streams;
using Recouvrement.Api.Hosting;
using Recouvrement.Api.ReadSide;
using Recouvrement.Events;
using Recouvrement.Hosting;
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
        services.AddValidatedOptions<EventRelayOptions>(configuration, EventRelayOptions.Section);
        var relay = ValidatedOptions.Read<EventRelayOptions>(configuration, EventRelayOptions.Section);
        if (durable)
        {
            services.AddSingleton<IEventLog>(sp => new PostgresEventLog(sp.GetRequiredService<NpgsqlDataSource>(), ServiceId(sp)));
            services.AddSingleton<ICaseSummaryReader>(sp => new PostgresCaseSummaryReader(sp.GetRequiredService<NpgsqlDataSource>(), ServiceId(sp)));
            services.AddSingleton<Api.Reports.IReportCounters>(sp => new Api.Reports.PostgresReportCounters(sp.GetRequiredService<NpgsqlDataSource>(), ServiceId(sp)));
            services.AddSingleton<ICaseSummaryWriter>(sp => new PostgresCaseSummaryWriter(
                sp.GetRequiredService<NpgsqlDataSource>(), ServiceId(sp),
                sp.GetRequiredService<IOptions<StorageWriteOptions>>().Value,
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
            services.AddSingleton<Api.Reports.IReportCounters>(sp => sp.GetRequiredService<MemoryCaseSummaries>());
            services.AddSingleton<IEventCursorStore, MemoryEventCursorStore>();
        }

        services.AddValidatedOptions<EventStreamOptions>(configuration, EventStreamOptions.Section);
        if (durable)
        {
            silo.AddDurableEventStream(ValidatedOptions.Read<EventStreamOptions>(configuration, EventStreamOptions.Section));
        }
        else
        {
            // Not durable, as nothing embedded is. The pub-sub store serves explicit subscriptions, which none makes.
            silo.AddMemoryStreams(EventStreams.Provider);
            silo.AddMemoryGrainStorage("PubSubStore");
        }

        if (relay.Relay)
        {
            services.AddHostedService<EventRelay>();
        }

        return silo;
    }

    /// <summary>
    /// The event stream on PostgreSQL: Orleans' ADO.NET persistent stream provider, its queues in the tables of schema
    /// 0005 and its connections from the engine's data source. A batch is stored before the relay's hand-off returns,
    /// and deleted only once its consumers have it; pulling agents, balanced over the silos, read the queues.
    /// </summary>
    private static void AddDurableEventStream(this ISiloBuilder silo, EventStreamOptions options) =>
        silo.AddAdoNetStreams(EventStreams.Provider, stream =>
        {
            stream.ConfigureAdoNet(o => o.Configure<NpgsqlDataSource>((adoNet, database) =>
            {
                adoNet.Invariant = EngineDatabase.Invariant;
                adoNet.DataSource = database;
                adoNet.MaxAttempts = options.MaxAttempts;
                adoNet.VisibilityTimeout = options.VisibilityTimeout;
                adoNet.ExpiryTimeout = options.ExpiryTimeout;
                adoNet.DeadLetterEvictionTimeout = options.DeadLetterRetention;
            }));
            stream.ConfigurePartitioning(options.Queues);
            stream.ConfigureCache(options.CacheSize);

            // A stream with a backlog hands its consumer up to this many of its batches in one call.
            stream.ConfigurePullingAgent(o => o.Configure(agent => agent.BatchContainerBatchSize = 16));

            // Every consumer subscribes implicitly (by namespace), so no stream needs a rendezvous grain or its store.
            stream.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
        });

    private static string ServiceId(IServiceProvider services) => services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId;
}
