using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Recouvrement.LoadTests.Infrastructure;

/// <summary>Minimal stand-ins for SendGrid's mail send and Twilio's Messages API that accept everything and count.</summary>
public sealed class FakeProviderServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _received;

    private FakeProviderServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public long Received => Interlocked.Read(ref _received);

    /// <summary>When each message arrived (<see cref="Stopwatch"/> timestamps).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<long> Arrivals { get; } = new();

    public static async Task<FakeProviderServer> StartAsync()
    {
        var port = Engine.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeProviderServer(app, new Uri($"http://127.0.0.1:{port}"));
        app.Run(server.Handle);
        await app.StartAsync();
        return server;
    }

    private async Task Handle(HttpContext context)
    {
        await context.Request.Body.CopyToAsync(Stream.Null);
        Arrivals.Enqueue(Stopwatch.GetTimestamp());
        var n = Interlocked.Increment(ref _received);
        if (context.Request.Path.StartsWithSegments("/v3/mail/send"))
        {
            context.Response.StatusCode = 202;
            context.Response.Headers["X-Message-Id"] = $"sg-{n}";
            return;
        }

        context.Response.StatusCode = 201;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync($$"""{"sid":"SM{{n:D32}}","status":"queued"}""");
    }

    public Dictionary<string, string> EngineSettings() => new()
    {
        ["Recouvrement__Channels__SendGrid__ApiKey"] = "SG.load",
        ["Recouvrement__Channels__SendGrid__BaseUrl"] = Address.ToString().TrimEnd('/'),
        ["Recouvrement__Channels__SendGrid__MessagesPerSecond"] = "0",
        ["Recouvrement__Channels__Twilio__AccountSid"] = "AC0123456789abcdef0123456789abcdef",
        ["Recouvrement__Channels__Twilio__AuthToken"] = "load",
        ["Recouvrement__Channels__Twilio__From"] = "+33700000001",
        ["Recouvrement__Channels__Twilio__BaseUrl"] = Address.ToString().TrimEnd('/'),
        ["Recouvrement__Channels__Twilio__MessagesPerSecond"] = "0",
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
