using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Recouvrement.Tests.Support;

/// <summary>
/// A creditor's webhook endpoint: a real HTTP server (Kestrel) on a free loopback port that keeps every request it
/// gets, raw body included, and answers as the test tells it: a status code, or no answer at all.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    /// <summary>The answer that never comes: the request is held until the sender gives up or the receiver stops.</summary>
    public const int NoAnswer = -1;

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Request> _requests = new();
    private readonly TaskCompletionSource _stopping = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<int, int> _answer;
    private int _held;

    /// <summary>One request as received.</summary>
    public sealed record Request(string? EventId, string? Signature, string? ContentType, byte[] Body)
    {
        public JsonNode Json => JsonNode.Parse(Body)!;

        public string Type => Json["type"]!.GetValue<string>();

        public string Id => Json["id"]!.GetValue<string>();

        public string? CaseReference => Json["caseReference"]?.GetValue<string>();
    }

    private WebhookReceiver(WebApplication app, string url, Func<int, int> answer)
    {
        _app = app;
        Url = url;
        _answer = answer;
    }

    public string Url { get; }

    public IReadOnlyList<Request> Requests => [.. _requests];

    /// <summary>Requests being held unanswered right now.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>Starts a receiver; <paramref name="answer"/> gives the status of the n-th request (1, 2, …): 200 by default.</summary>
    public static async Task<WebhookReceiver> StartAsync(Func<int, int>? answer = null)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, $"http://127.0.0.1:{port}/hooks/recouvrement", answer ?? (_ => 200));
        app.MapPost("/hooks/recouvrement", receiver.Receive);
        await app.StartAsync();
        return receiver;
    }

    private async Task Receive(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        _requests.Enqueue(new Request(
            context.Request.Headers["Recouvrement-Event-Id"].FirstOrDefault(), context.Request.Headers["Recouvrement-Signature"].FirstOrDefault(),
            context.Request.ContentType, body.ToArray()));
        var status = _answer(_requests.Count);
        if (status == NoAnswer)
        {
            Interlocked.Increment(ref _held);
            try
            {
                await _stopping.Task.WaitAsync(context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The sender gave up.
            }
            finally
            {
                Interlocked.Decrement(ref _held);
            }

            return;
        }

        context.Response.StatusCode = status;
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
