using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Recouvrement.Api.Hosting;

/// <summary>
/// OpenTelemetry for every process (silo or API alone): Orleans' meters and activity sources, ASP.NET Core and
/// HttpClient, the .NET runtime (GC pauses, thread pool queue), the engine's <c>Recouvrement</c> meter, with Prometheus <c>/metrics</c> always and OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; and the health endpoints <c>/health/live</c> and <c>/health/ready</c>.
/// Payment-link tokens are redacted from every log and exported span (<see cref="TokenRedaction"/>).
/// </summary>
public static class Telemetry
{
    public const string EngineMeter = "Recouvrement";

    /// <summary>
    /// Traces are recorded only when they have somewhere to go: every grain call, HTTP request and command would
    /// otherwise start an activity (and carry its context in the call) only to drop it, which cost several per
    /// cent of a silo's CPU in a burst of due cases.
    /// </summary>
    public static bool TracesExported(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    public static WebApplicationBuilder AddRecouvrementTelemetry(this WebApplicationBuilder builder, Action<MeterProviderBuilder>? metrics = null, Action<TracerProviderBuilder>? tracing = null)
    {
        var otlp = TracesExported(builder.Configuration);
        var telemetry = builder.Services.AddOpenTelemetry()
            .WithMetrics(m =>
            {
                m.AddMeter("Microsoft.Orleans", EngineMeter, "System.Runtime").AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddPrometheusExporter();
                metrics?.Invoke(m);
                if (otlp)
                {
                    m.AddOtlpExporter();
                }
            });
        if (otlp)
        {
            telemetry.WithTracing(t =>
            {
                t.AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/metrics") && !context.Request.Path.StartsWithSegments("/health"))
                    .AddHttpClientInstrumentation();
                tracing?.Invoke(t);
                t.AddProcessor(new TokenRedactingSpanProcessor()).AddOtlpExporter();
            });
        }

        builder.Services.AddTokenRedaction();
        builder.Services.AddHealthChecks();
        return builder;
    }

    /// <summary><c>{status, checks: [{name, status, description}]}</c>: what is not ready, and what runs on a fake, says why.</summary>
    private static Task WriteHealth(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.Select(e => new { name = e.Key, status = e.Value.Status.ToString(), description = e.Value.Description }),
        });
    }

    public static WebApplication MapRecouvrementTelemetry(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = WriteHealth });
        return app;
    }
}

/// <summary>The API alone is ready when it reaches at least one active silo.</summary>
public sealed class ClusterReachableCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var call = grains.GetGrain<IManagementGrain>(0).GetHosts(true, cancellationToken);
            var hosts = await call.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return hosts.Count > 0 ? HealthCheckResult.Healthy($"{hosts.Count} active silo(s)") : HealthCheckResult.Unhealthy("no active silo");
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            return HealthCheckResult.Unhealthy("the cluster does not answer", e);
        }
    }
}
