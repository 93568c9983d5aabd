using Recouvrement.Messaging;

namespace Recouvrement.Channels;

/// <summary>
/// Paces one provider's requests to a steady rate and retries the answers that prove nothing was accepted (429,
/// 503 with Retry-After, a connection that could not be made) with a doubling wait, or the provider's own
/// Retry-After. A wait longer than the options allow hands the message back to its debtor, which tries again
/// later. Any other failure after the request left (another 5xx, a timeout, a connection dropped mid-answer) may
/// mean the provider took the message: it is in doubt and never sent again (<see cref="ServerError"/>).
/// </summary>
public sealed class ProviderGate(ProviderOptions options, TimeProvider time)
{
    private readonly Lock _lock = new();
    private DateTimeOffset _nextSlot = DateTimeOffset.MinValue;

    public async Task<SendResult> RunAsync(Func<CancellationToken, Task<SendResult>> attempt, CancellationToken cancellationToken)
    {
        var tries = Math.Max(1, options.MaxAttempts);
        for (var n = 1; ; n++)
        {
            await WaitForSlot(cancellationToken);
            SendResult result;
            try
            {
                result = await attempt(cancellationToken);
            }
            catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
            {
                result = SendResult.Retry("unreachable");
            }
            catch (HttpRequestException e)
            {
                // The request may have reached the provider before the connection broke.
                return SendResult.Unknown($"transport_{e.HttpRequestError}".ToLowerInvariant());
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return SendResult.Unknown("timeout");
            }

            if (result.Status != SendStatus.RetryLater || n >= tries)
            {
                return result;
            }

            var wait = result.RetryAfter ?? options.RetryBaseDelay * Math.Pow(2, n - 1);
            if (wait > options.MaxRetryDelay)
            {
                return result;
            }

            await Task.Delay(wait, time, cancellationToken);
        }
    }

    /// <summary>
    /// What a provider's 5xx means for a message: only a 503 that says when to come back proves the provider turned
    /// it away; a 500, 502, 504 or a bare 503 may come from a proxy or a provider that accepted the message before
    /// failing, so the message is in doubt, as after a crash, and never sent again.
    /// </summary>
    public static SendResult ServerError(System.Net.HttpStatusCode status, string label, TimeSpan? retryAfter) =>
        status == System.Net.HttpStatusCode.ServiceUnavailable && retryAfter is not null
            ? SendResult.Retry(label, retryAfter)
            : SendResult.Unknown(label);

    private Task WaitForSlot(CancellationToken cancellationToken)
    {
        if (options.MessagesPerSecond <= 0)
        {
            return Task.CompletedTask;
        }

        var interval = TimeSpan.FromSeconds(1 / options.MessagesPerSecond);
        DateTimeOffset slot;
        var now = time.GetUtcNow();
        lock (_lock)
        {
            slot = _nextSlot > now ? _nextSlot : now;
            _nextSlot = slot + interval;
        }

        return slot > now ? Task.Delay(slot - now, time, cancellationToken) : Task.CompletedTask;
    }
}
