using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Recouvrement.Api;

namespace Recouvrement.Tests.Support;

/// <summary>
/// A second API process in the same cluster as an <see cref="EngineHost"/>: the client-api's mappings over an Orleans
/// client connected to the host's gateway, started in-process on a free port and spoken to over HTTP.
/// </summary>
public sealed class ApiTier : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ApiTier(WebApplication app, Uri address)
    {
        _app = app;
        BaseAddress = address;
    }

    public Uri BaseAddress { get; }

    public static Task<ApiTier> StartAsync(EngineHost engine, params string[] settings) => StartAsync(engine, _ => { }, settings);

    /// <summary>An API tier whose Orleans client is changed first (a grain call filter that fails calls, say).</summary>
    public static async Task<ApiTier> StartAsync(EngineHost engine, Action<IClientBuilder> configureClient, params string[] settings)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateBuilder(
        [
            $"--urls=http://127.0.0.1:{port}",
            $"--Recouvrement:OperatorKey={EngineHost.OperatorKey}",
            "--Logging:LogLevel:Default=Warning",
            .. settings,
        ]);
        builder.UseOrleansClient(client =>
        {
            client.UseLocalhostClustering(engine.GatewayPort, serviceId: "recouvrement", clusterId: "recouvrement");
            configureClient(client);
        });
        builder.Services.AddRecouvrementApi();
        var app = builder.Build();
        app.MapRecouvrementApi();
        await app.StartAsync();
        return new ApiTier(app, new Uri($"http://127.0.0.1:{port}"));
    }

    public HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
