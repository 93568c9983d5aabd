using Orleans.Configuration;

namespace Recouvrement.Api.Hosting;

/// <summary>Connects the standalone API process to the silos through the shared PostgreSQL membership table.</summary>
public static class ClusterClientHosting
{
    public static WebApplicationBuilder AddRecouvrementClusterClient(this WebApplicationBuilder builder)
    {
        if (!EngineDatabase.IsConfigured(builder.Configuration))
        {
            throw new InvalidOperationException(
                "The API process alone needs ConnectionStrings:Recouvrement (env ConnectionStrings__Recouvrement) to find the silos.");
        }

        builder.Services.AddEngineDatabase(builder.Configuration);
        builder.UseOrleansClient(client =>
        {
            client.Services.AddEngineExceptions();
            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = builder.Configuration["Recouvrement:Cluster:ClusterId"] ?? "recouvrement";
                options.ServiceId = builder.Configuration["Recouvrement:Cluster:ServiceId"] ?? "recouvrement";
            });
            // The membership table is read through the process's one data source, as the read side's queries are.
            client.UseAdoNetClustering(options => options.Configure<Npgsql.NpgsqlDataSource>((o, database) =>
            {
                o.Invariant = EngineDatabase.Invariant;
                o.DataSource = database;
            }));
            if (ClusterTls.FromConfiguration(builder.Configuration, ClusterTlsRole.Client, TimeProvider.System) is { } tls)
            {
                // The gateway asks for our certificate; we accept the silo's only if the cluster's CA issued it.
                client.UseTls(tls.Certificate, tls.Configure);
            }
        });
        return builder;
    }
}
