using System.Net;
using Npgsql;
using Orleans.Configuration;
using Orleans.Reminders;
using Orleans.Storage;
using Recouvrement.Api.Hosting;
using Recouvrement.Hosting;

namespace Recouvrement.Silo.Hosting;

/// <summary>Configures an Orleans silo for the engine, on PostgreSQL or on the embedded in-memory default.</summary>
public static class EngineSilo
{
    /// <summary>True when <c>ConnectionStrings:Recouvrement</c> is set: the durable PostgreSQL profile.</summary>
    public static bool IsDurable(IConfiguration configuration) => Api.Hosting.EngineDatabase.IsConfigured(configuration);

    public static ISiloBuilder ConfigureEngine(this ISiloBuilder silo, IConfiguration configuration)
    {
        // Read now, to choose the providers and ports; a bad value stops the start with its key named.
        var options = ValidatedOptions.Read<SiloOptions>(configuration, SiloOptions.Section);
        var writes = ValidatedOptions.Read<Storage.StorageWriteOptions>(configuration, Storage.StorageWriteOptions.Section);
        var reminders = ValidatedOptions.Read<ReminderTiming>(configuration, ReminderTiming.Section);
        var clock = ValidatedOptions.Read<ClockOptions>(configuration, ClockOptions.Section);
        silo.Services.AddValidatedOptions<SiloOptions>(configuration, SiloOptions.Section);
        silo.Services.AddValidatedOptions<Storage.StorageWriteOptions>(configuration, Storage.StorageWriteOptions.Section);
        silo.Services.AddValidatedOptions<Storage.CensusOptions>(configuration, Storage.CensusOptions.Section);
        silo.Services.AddValidatedOptions<ReminderTiming>(configuration, ReminderTiming.Section);
        silo.Services.AddValidatedOptions<ClockOptions>(configuration, ClockOptions.Section);
        var durable = IsDurable(configuration);
        if (!durable)
        {
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
            silo.UseInMemoryReminderService();
        }
        else
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = options.ClusterId;
                o.ServiceId = options.ServiceId;
            });
            silo.ConfigureEndpoints(IPAddress.Parse(options.AdvertisedAddress), options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: false);
            // Orleans' providers open their connections from the process's one data source (EngineDatabase), not from the string.
            silo.UseAdoNetClustering(options => options.Configure<NpgsqlDataSource>((o, database) =>
            {
                o.Invariant = EngineDatabase.Invariant;
                o.DataSource = database;
            }));
            var adoNetName = writes.GroupCommit ? Storage.GroupCommitGrainStorage.InnerName : StorageNames.Default;
            silo.AddAdoNetGrainStorage(adoNetName, options => options.Configure<NpgsqlDataSource>((o, database) =>
            {
                o.Invariant = EngineDatabase.Invariant;
                o.DataSource = database;
            }));
            if (writes.GroupCommit)
            {
                // Grains read and write through the group commit, which clears (and reads, with GroupReads off) through the ADO.NET provider.
                silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Default, (sp, _) => new Storage.GroupCommitGrainStorage(
                    sp.GetRequiredKeyedService<IGrainStorage>(adoNetName),
                    sp.GetRequiredService<NpgsqlDataSource>(),
                    sp.GetRequiredService<IOptionsMonitor<AdoNetGrainStorageOptions>>().Get(adoNetName),
                    sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
                    writes,
                    sp.GetRequiredService<ILogger<Storage.GroupCommitGrainStorage>>(),
                    sp.GetRequiredService<Orleans.Serialization.Serializer>()));
            }
            silo.UseAdoNetReminderService(options => options.Configure<NpgsqlDataSource>((o, database) =>
            {
                o.Invariant = EngineDatabase.Invariant;
                o.DataSource = database;
            }));
            if (writes.GroupCommit)
            {
                // Reminder writes and single-reminder reads are grouped too; range reads stay with the ADO.NET reminder table.
                var adoNetTable = silo.Services.Last(d => d.ServiceType == typeof(IReminderTable));
                silo.Services.Remove(adoNetTable);
                silo.Services.AddSingleton<IReminderTable>(sp => new Storage.GroupCommitReminderTable(
                    (IReminderTable)ActivatorUtilities.CreateInstance(sp, adoNetTable.ImplementationType!),
                    sp.GetRequiredService<NpgsqlDataSource>(),
                    sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
                    writes,
                    sp.GetRequiredService<ILogger<Storage.GroupCommitReminderTable>>()));

                // The count of cases by status reads the label the group commit writes beside each case's state.
                silo.Services.AddHostedService(sp => new Storage.CaseCensus(
                    sp.GetRequiredService<NpgsqlDataSource>(),
                    sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
                    sp.GetRequiredService<IOptions<Storage.CensusOptions>>().Value,
                    sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
                    sp.GetRequiredService<ILogger<Storage.CaseCensus>>()));
            }

            // Batches of new cases are written in one transaction into the same tables (see PostgresCaseBulkStore).
            silo.Services.AddSingleton<Recouvrement.Cases.ICaseBulkStore>(sp =>
                ActivatorUtilities.CreateInstance<Storage.PostgresCaseBulkStore>(sp, new Storage.BulkStoreTarget(sp.GetRequiredService<NpgsqlDataSource>(), adoNetName)));
        }

        if (ClusterTls.FromConfiguration(configuration, ClusterTlsRole.Silo, TimeProvider.System) is { } tls)
        {
            // Silo-to-silo and gateway connections both ways: each end presents its certificate and checks the other's.
            silo.UseTls(tls.Certificate, tls.Configure);
        }

        // Grain state is stored in Orleans' compact binary format, versioned by the [Id] of each field.
        silo.Services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
        silo.Services.AddRecouvrementEngine(configuration);
        silo.AddReadSide(configuration, durable);
        silo.Services.Configure<ReminderOptions>(o =>
        {
            o.RefreshReminderListPeriod = reminders.RefreshPeriod ?? o.RefreshReminderListPeriod;
            o.ReminderLoadingWindow = reminders.LoadingWindow ?? (reminders.RefreshPeriod is { } refresh ? refresh * 2 : o.ReminderLoadingWindow);
        });
        silo.UseEngineClock(clock, reminders);
        return silo;
    }

    /// <summary>With a scaled clock, grains and reminders share it; Orleans' own background loops keep real time.</summary>
    private static void UseEngineClock(this ISiloBuilder silo, ClockOptions clock, ReminderTiming reminders)
    {
        if (clock.IsReal)
        {
            return;
        }

        var scaled = new ScaledTimeProvider(clock, TimeProvider.System);
        silo.Services.AddKeyedSingleton<TimeProvider>(EngineClock.Key, scaled);
        silo.Services.AddKeyedSingleton<TimeProvider>(ReminderTimeProviderNames.Reminders, scaled);
        silo.Services.PostConfigure<ReminderOptions>(o =>
        {
            // Keep the reminder table's refresh about once a real second however fast the clock runs.
            var refresh = TimeSpan.FromSeconds(Math.Max(1, clock.Speed));
            o.RefreshReminderListPeriod = refresh < o.RefreshReminderListPeriod ? o.RefreshReminderListPeriod : refresh;
            o.ReminderLoadingWindow = reminders.LoadingWindow ?? o.RefreshReminderListPeriod * 2;
        });
    }
}
