using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Recouvrement.Channels;
using Recouvrement.Events;

namespace Recouvrement.Webhooks;

/// <summary>
/// Posts one event to one subscription's URL, signed, within <see cref="CreditorWebhookOptions.Timeout"/>, and says
/// what became of it; never throws for what the receiver does. Every connection resolves the host again and refuses
/// it when any address it resolves to is not public (unless private targets are allowed): a host name that pointed
/// to a public address at creation and to an internal one now (DNS rebinding) is refused at the address actually used.
/// No proxy, no redirects: a 3xx is a failed delivery, not a way around the check.
/// </summary>
public sealed class WebhookSender(HttpClient http, IOptions<CreditorWebhookOptions> options, TimeProvider clock, TimeProvider wallClock)
{
    /// <summary>The named <see cref="HttpClient"/> deliveries go through (registered by the engine's services).</summary>
    public const string ClientName = "Recouvrement.Webhooks";

    /// <summary>
    /// The handler of every delivery: each connection resolves the host and is refused at an address a webhook may
    /// not reach; no proxy, no redirects, no cookies.
    /// </summary>
    public static SocketsHttpHandler Handler(CreditorWebhookOptions settings) => new()
    {
        ConnectCallback = (context, cancellationToken) => Connect(context, settings.AllowPrivateTargets, cancellationToken),
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        // Connections are not kept long, so that a host's new addresses are resolved, and checked, soon.
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        ConnectTimeout = settings.Timeout,
    };

    public async Task<WebhookAttempt> SendAsync(WebhookSubscription subscription, byte[] secret, StoredEvent stored)
    {
        var e = stored.Event;
        var body = WebhookPayload.Body(e);
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        // The signature's time is the wall clock's, which receivers compare with theirs, even when the engine's runs scaled.
        request.Headers.Add(WebhookPayload.SignatureHeader, WebhookPayload.Signature(secret, wallClock.GetUtcNow().ToUnixTimeSeconds(), body));
        request.Headers.Add(WebhookPayload.EventIdHeader, e.Id);

        var at = clock.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        WebhookAttempt Attempt(bool delivered, int? status, string? error, TimeSpan? retryAfter = null) =>
            new(e.Id, e.Type, LogPosition.Of(stored.Cursor), delivered, status, error, Stopwatch.GetElapsedTime(started), at, retryAfter);
        try
        {
            // The answer's body is never read: only its status says whether the event was taken.
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? Attempt(true, status, null)
                : Attempt(false, status, string.Create(CultureInfo.InvariantCulture, $"HTTP {status} {response.ReasonPhrase}").TrimEnd(),
                    RetryAfterHeader.Read(response.Headers, wallClock.GetUtcNow()));
        }
        catch (TaskCanceledException)
        {
            return Attempt(false, null, string.Create(CultureInfo.InvariantCulture, $"no answer within {options.Value.Timeout.TotalSeconds:0.#} s"));
        }
        catch (HttpRequestException refused) when (refused.InnerException is TargetRefusedException target)
        {
            return Attempt(false, null, target.Message);
        }
        catch (HttpRequestException failed)
        {
            return Attempt(false, null, failed.InnerException is SocketException socket
                ? $"could not connect: {socket.SocketErrorCode}"
                : $"request failed: {failed.HttpRequestError}");
        }
    }

    private static async ValueTask<Stream> Connect(SocketsHttpConnectionContext context, bool allowPrivateTargets, CancellationToken cancellationToken)
    {
        var (addresses, refusal) = await WebhookTargets.ResolveAsync(context.DnsEndPoint.Host, allowPrivateTargets, cancellationToken);
        if (refusal is not null)
        {
            throw new TargetRefusedException(refusal);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The target's addresses are not ones a webhook may reach.</summary>
    private sealed class TargetRefusedException(string message) : Exception(message);
}
