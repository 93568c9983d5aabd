using System.Net;
using Orleans.Configuration;
using Orleans.Reminders;
using Orleans.Storage;
using Recouvrement.Hosting;

namespace Recouvrement.Silo.Hosting;

/// <summary>Configures an Orleans silo for the engine, on PostgreSQL or on the embedded in-memory default.</summary>
public static class EngineSilo
{
    /// <summary>True when <c>ConnectionStrings:Recouvrement</c> is set: the durable PostgreSQL profile.</summary>
    public static bool IsDurable(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration.GetConnectionString("Recouvrement"));

    public static ISiloBuilder ConfigureEngine(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = configuration.GetSection("Recouvrement:Cluster").Get<SiloOptions>() ?? new SiloOptions();
        var connectionString = configuration.GetConnectionString("Recouvrement");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
            silo.AddMemoryGrainStorage(StorageNames.Default);
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
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connectionString;
            });
            silo.AddAdoNetGrainStorage(StorageNames.Default, o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connectionString;
            });
            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connectionString;
            });

            // Batches of new cases are written in one transaction into the same tables (see PostgresCaseBulkStore).
            silo.Services.AddSingleton<Recouvrement.Cases.ICaseBulkStore>(sp =>
                ActivatorUtilities.CreateInstance<Storage.PostgresCaseBulkStore>(sp, connectionString));
        }

        // Grain state is stored in Orleans' compact binary format, versioned by the [Id] of each field.
        silo.Services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
        silo.Services.AddRecouvrementEngine(configuration);
        silo.UseEngineClock(configuration.GetSection("Recouvrement:Clock").Get<ClockOptions>() ?? new ClockOptions());
        return silo;
    }

    /// <summary>With a scaled clock, grains and reminders share it; Orleans' own background loops keep real time.</summary>
    private static void UseEngineClock(this ISiloBuilder silo, ClockOptions clock)
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
            o.ReminderLoadingWindow = o.RefreshReminderListPeriod * 2;
        });
    }
}
