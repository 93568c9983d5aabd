using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using OpenTelemetry.Trace;
using Orleans.Dashboard;
using Recouvrement.Api.Access;
using Recouvrement.Api.Hosting;

namespace Recouvrement.Silo.Hosting;

/// <summary>
/// What ops watch: OpenTelemetry traces and metrics (Orleans, ASP.NET Core, HttpClient, Npgsql and the engine's own
/// meter) with a Prometheus <c>/metrics</c> endpoint and an OTLP exporter when an endpoint is configured; health
/// endpoints; and the Orleans Dashboard at <c>/dashboard</c> behind the operator key.
/// </summary>
public static class Observability
{
    public const string DashboardPath = "/dashboard";

    /// <summary>
    /// <c>Recouvrement:Dashboard:Enabled</c> (default true). The dashboard samples every Orleans gauge each second,
    /// and two of them visit every activation: with 300,000 grains active in a burst that was 7 % of the silo's CPU.
    /// </summary>
    public static bool DashboardEnabled(IConfiguration configuration) => configuration.GetValue("Recouvrement:Dashboard:Enabled", true);

    public static WebApplicationBuilder AddRecouvrementObservability(this WebApplicationBuilder builder)
    {
        builder.AddRecouvrementTelemetry(metrics => metrics.AddMeter("Npgsql"), tracing => tracing.AddNpgsql());
        builder.Services.AddHealthChecks()
            .AddCheck<SiloReadyCheck>("silo", tags: ["ready"])
            .AddCheck<DatabaseReadyCheck>("database", tags: ["ready"]);
        return builder;
    }

    public static WebApplication MapRecouvrementObservability(this WebApplication app)
    {
        app.UseWhen(context => context.Request.Path.StartsWithSegments(DashboardPath), branch => branch.Use(RequireOperatorKey));
        app.MapRecouvrementTelemetry();
        if (DashboardEnabled(app.Configuration))
        {
            app.MapOrleansDashboard(routePrefix: DashboardPath);
        }
        return app;
    }

    /// <summary>
    /// The dashboard is for operators: the operator key as a bearer token, or as the password of HTTP Basic
    /// authentication so that a browser can ask for it.
    /// </summary>
    private static async Task RequireOperatorKey(HttpContext context, Func<Task> next)
    {
        var given = ApiKeys.Bearer(context) ?? BasicPassword(context.Request.Headers.Authorization.ToString());
        if (!ApiKeys.IsOperatorKey(context.RequestServices.GetRequiredService<IConfiguration>(), given))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"Recouvrement operators\", charset=\"UTF-8\"";
            return;
        }

        await next();
    }

    private static string? BasicPassword(string header)
    {
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon >= 0 ? decoded[(colon + 1)..] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>Ready while this silo is an active member of the cluster; not ready while it joins or drains.</summary>
public sealed class SiloReadyCheck(Orleans.Runtime.ILocalSiloDetails silo, IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var oracle = services.GetService<Orleans.Runtime.ISiloStatusOracle>();
        var status = oracle?.CurrentStatus;
        return Task.FromResult(status == Orleans.Runtime.SiloStatus.Active
            ? HealthCheckResult.Healthy($"silo {silo.SiloAddress} active")
            : HealthCheckResult.Unhealthy($"silo is {status?.ToString() ?? "starting"}"));
    }
}
