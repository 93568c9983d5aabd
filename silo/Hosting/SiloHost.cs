using Orleans.Dashboard;
using Recouvrement.Api;
using Recouvrement.Api.Hosting;
using Recouvrement.Hosting;
using Recouvrement.Silo.Storage;

namespace Recouvrement.Silo.Hosting;

/// <summary>Builds the single-node process: silo and HTTP API together.</summary>
public static class SiloHost
{
    public const string DefaultUrl = "http://localhost:5080";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        customize?.Invoke(builder);
        builder.AddRecouvrementSilo();
        builder.AddRecouvrementObservability();
        builder.Services.AddRecouvrementApi();
        var app = builder.Build();
        app.MapRecouvrementObservability();
        app.MapRecouvrementApi();
        return app;
    }

    public static WebApplicationBuilder AddRecouvrementSilo(this WebApplicationBuilder builder)
    {
        builder.AddQuietFrameworkLogs();
        var configuration = builder.Configuration;
        if (string.IsNullOrEmpty(configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        if (!EngineSilo.IsDurable(configuration) && string.IsNullOrEmpty(configuration["Recouvrement:OperatorKey"]))
        {
            configuration.AddInMemoryCollection([new("Recouvrement:OperatorKey", StartupBanner.NewOperatorKey())]);
        }

        if (configuration["urls"] is { } urls && string.IsNullOrEmpty(configuration["Recouvrement:PaymentLinks:BaseUrl"]))
        {
            // Links point at this process unless a public address is configured.
            configuration.AddInMemoryCollection([new("Recouvrement:PaymentLinks:BaseUrl", urls.Split(';')[0].Replace("0.0.0.0", "localhost", StringComparison.Ordinal))]);
        }

        builder.AddProductionGuard(sendsMessages: true);
        builder.Services.AddEngineDatabase(configuration);
        if (EngineSilo.IsDurable(configuration))
        {
            // Registered before Orleans so the schema exists before membership and storage are touched.
            builder.Services.AddHostedService(sp => new SchemaMigrator(
                sp.GetRequiredService<Npgsql.NpgsqlDataSource>(), sp.GetRequiredService<ILogger<SchemaMigrator>>()));
        }

        builder.Services.AddValidatedOptions<DemoOptions>(DemoOptions.Section);
        builder.UseOrleans(silo =>
        {
            silo.ConfigureEngine(configuration);
            if (Api.Hosting.Telemetry.TracesExported(configuration))
            {
                silo.AddActivityPropagation();
            }

            if (Observability.DashboardEnabled(configuration))
            {
                silo.AddDashboard();
            }
            if (ValidatedOptions.Read<SiloOptions>(configuration, SiloOptions.Section).Kubernetes)
            {
                // Pod name, IP, cluster and service ids from the pod; defunct silos' pods are watched and cleaned up.
                silo.UseKubernetesHosting();
            }
        });
        if (EngineSilo.IsDurable(configuration))
        {
            // Before the banner and the API's key directory, so that both see the keys stored the old way.
            builder.Services.AddHostedService(sp => new LegacyApiKeyImport(
                sp.GetRequiredService<Npgsql.NpgsqlDataSource>(),
                sp.GetRequiredService<IOptions<Orleans.Configuration.ClusterOptions>>().Value.ServiceId,
                sp.GetRequiredService<IGrainFactory>(),
                sp.GetRequiredService<ILogger<LegacyApiKeyImport>>()));
        }

        builder.Services.AddHostedService<StartupBanner>();
        return builder;
    }
}
