using Recouvrement.Messaging;

namespace Recouvrement.Channels;

/// <summary>
/// Paces one provider's requests to a steady rate and retries the answers that ask for it (429, 5xx) with a
/// doubling wait, or the provider's own Retry-After. A wait longer than the options allow hands the message
/// back to its debtor, which tries again later. A provider that cannot be reached is retried; one that does not
/// answer in time may have taken the message, which is then in doubt.
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
