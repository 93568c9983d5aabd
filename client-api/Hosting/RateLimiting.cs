using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Recouvrement.Api.Access;
using Recouvrement.Api.DebtorPages;
using Recouvrement.Hosting;

namespace Recouvrement.Api.Hosting;

/// <summary>The rate-limit policies endpoints attach by name (<see cref="RateLimitOptions"/> says what each allows).</summary>
public static class RateLimiting
{
    public static IServiceCollection AddRecouvrementRateLimits(this IServiceCollection services)
    {
        services.AddValidatedOptions<RateLimitOptions>(RateLimitOptions.Section);
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy<string, FailedAuthenticationLimit>(FailedAuthenticationLimit.Name);
            options.AddPolicy<string, DebtorFormLimit>(DebtorFormLimit.Name);
        });
        return services;
    }

    /// <summary>Sets <c>Retry-After</c> to the whole seconds until the limiter lets the client in again.</summary>
    public static void SetRetryAfter(OnRejectedContext context)
    {
        if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            context.HttpContext.Response.Headers.RetryAfter =
                Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The client's IP address as this process sees it (behind a proxy: the proxy's, unless forwarded headers are applied).</summary>
    public static string ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
