using System.Globalization;
using System.Net.Http.Headers;

namespace Recouvrement.Channels;

/// <summary>How long a provider asks us to wait: <c>Retry-After</c> (seconds or a date), else <c>X-RateLimit-Reset</c> (epoch seconds).</summary>
public static class RetryAfterHeader
{
    public static TimeSpan? Read(HttpResponseHeaders headers, DateTimeOffset now)
    {
        if (headers.RetryAfter is { } header)
        {
            if (header.Delta is { } delta)
            {
                return delta;
            }

            if (header.Date is { } date)
            {
                return date > now ? date - now : TimeSpan.Zero;
            }
        }

        return headers.TryGetValues("X-RateLimit-Reset", out var reset)
            && long.TryParse(reset.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch)
            ? TimeSpan.FromSeconds(Math.Max(0, epoch - now.ToUnixTimeSeconds()))
            : null;
    }
}
