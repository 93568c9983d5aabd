using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Api;

/// <summary>
/// With <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, the host records traces and sends them, with its metrics, to the
/// OTLP endpoint (here a receiver over real HTTP, OTLP/HTTP protobuf). Without it no trace is recorded at all.
/// </summary>
public sealed class TraceExportTests(TraceExportTests.TracedHost host) : IClassFixture<TraceExportTests.TracedHost>
{
    [Fact]
    public async Task Traces_and_metrics_reach_the_otlp_endpoint_when_one_is_configured()
    {
        using var api = host.Client();
        await ApiCases.Create(api, "OTLP-1", "PAT-OTLP");

        await Eventually.True(() => host.Receiver.Paths.Contains("/v1/traces"), TimeSpan.FromSeconds(30), "a trace export");
        await Eventually.True(() => host.Receiver.Paths.Contains("/v1/metrics"), TimeSpan.FromSeconds(30), "a metrics export");
        Assert.Equal("application/x-protobuf", host.Receiver.ContentTypes["/v1/traces"]);
        Assert.True(Recouvrement.Api.Hosting.Telemetry.TracesExported(new ConfigurationBuilder()
            .AddInMemoryCollection([new("OTEL_EXPORTER_OTLP_ENDPOINT", host.Receiver.Address.ToString())]).Build()));
        Assert.False(Recouvrement.Api.Hosting.Telemetry.TracesExported(new ConfigurationBuilder().Build()));
    }

    /// <summary>The engine host, sending OTLP/HTTP to a receiver started before it, with short export delays.</summary>
    public sealed class TracedHost : EngineHost
    {
        public OtlpReceiver Receiver { get; } = OtlpReceiver.Start();

        protected override IEnumerable<string> ExtraArgs =>
        [
            $"--OTEL_EXPORTER_OTLP_ENDPOINT={Receiver.Address}",
            "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
            "--OTEL_BSP_SCHEDULE_DELAY=200",
            "--OTEL_METRIC_EXPORT_INTERVAL=500",
        ];

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            await Receiver.DisposeAsync();
        }
    }

    /// <summary>Answers every OTLP export with 200 and remembers the paths and content types it was sent, and each trace export's bytes.</summary>
    public sealed class OtlpReceiver : IAsyncDisposable
    {
        private WebApplication? _app;

        private OtlpReceiver(Uri address) => Address = address;

        public Uri Address { get; }

        public ConcurrentDictionary<string, string> ContentTypes { get; } = new();

        public ICollection<string> Paths => ContentTypes.Keys;

        /// <summary>The bodies of the trace exports, as sent (OTLP protobuf: strings are in UTF-8, uncompressed).</summary>
        public ConcurrentQueue<byte[]> Traces { get; } = new();

        public static OtlpReceiver Start()
        {
            var port = FreePort.Next();
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var receiver = new OtlpReceiver(new Uri($"http://127.0.0.1:{port}"));
            app.Run(async context =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                if (context.Request.Path == "/v1/traces")
                {
                    receiver.Traces.Enqueue(body.ToArray());
                }

                receiver.ContentTypes[context.Request.Path.Value ?? string.Empty] = context.Request.ContentType ?? string.Empty;
                context.Response.StatusCode = StatusCodes.Status200OK;
            });
            app.StartAsync().GetAwaiter().GetResult(); // a fixture's constructor: the host's arguments need the port
            receiver._app = app;
            return receiver;
        }

        public async ValueTask DisposeAsync()
        {
            if (_app is not null)
            {
                await _app.StopAsync();
                await _app.DisposeAsync();
            }
        }
    }
}
