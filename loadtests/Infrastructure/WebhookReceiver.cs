using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Recouvrement.LoadTests.Infrastructure;

/// <summary>A creditor's webhook endpoint on a local port: answers 200 at once, and notes when each event arrived and its type.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, byte> _seen = new(StringComparer.Ordinal);
    private long _deliveries;

    private WebhookReceiver(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>Every POST, a redelivery included.</summary>
    public long Deliveries => Interlocked.Read(ref _deliveries);

    /// <summary>The ids of the events received.</summary>
    public IReadOnlySet<string> Ids => _seen.Keys.ToHashSet(StringComparer.Ordinal);

    /// <summary>Distinct events received.</summary>
    public int Events => _seen.Count;

    /// <summary>When each distinct event first arrived (<see cref="Stopwatch"/> timestamps), with its type.</summary>
    public ConcurrentQueue<(long At, string Type)> Arrivals { get; } = new();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var port = Engine.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, new Uri($"http://127.0.0.1:{port}/hooks"));
        app.Run(receiver.Handle);
        await app.StartAsync();
        return receiver;
    }

    private async Task Handle(HttpContext context)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        var at = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _deliveries);
        var id = body.RootElement.GetProperty("id").GetString()!;
        if (_seen.TryAdd(id, 0))
        {
            Arrivals.Enqueue((at, body.RootElement.GetProperty("type").GetString()!));
        }

        context.Response.StatusCode = 200;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
