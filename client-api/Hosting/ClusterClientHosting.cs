using Orleans.Configuration;

namespace Recouvrement.Api.Hosting;

/// <summary>Connects the standalone API process to the silos through the shared PostgreSQL membership table.</summary>
public static class ClusterClientHosting
{
    public static WebApplicationBuilder AddRecouvrementClusterClient(this WebApplicationBuilder builder)
    {
        var connectionString = EngineDatabase.ConnectionString(builder.Configuration)
            ?? throw new InvalidOperationException(
                "The API process alone needs ConnectionStrings:Recouvrement (env ConnectionStrings__Recouvrement) to find the silos.");
        builder.UseOrleansClient(client =>
        {
            client.Services.AddEngineExceptions();
            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = builder.Configuration["Recouvrement:Cluster:ClusterId"] ?? "recouvrement";
                options.ServiceId = builder.Configuration["Recouvrement:Cluster:ServiceId"] ?? "recouvrement";
            });
            client.UseAdoNetClustering(options =>
            {
                options.Invariant = "Npgsql";
                options.ConnectionString = connectionString;
            });
            if (ClusterTls.FromConfiguration(builder.Configuration, ClusterTlsRole.Client, TimeProvider.System) is { } tls)
            {
                // The gateway asks for our certificate; we accept the silo's only if the cluster's CA issued it.
                client.UseTls(tls.Certificate, tls.Configure);
            }
        });
        return builder;
    }
}
