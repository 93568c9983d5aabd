using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Recouvrement.Api.Hosting;

namespace Recouvrement.Api.Access;

/// <summary>
/// Counts, per client IP address, the requests whose bearer token opens nothing, and answers 429 once there were
/// <see cref="RateLimitOptions.FailedAuthentications"/> in the window. A request with a live creditor key or the
/// operator key is not counted and never limited; neither is one that comes before the key directory is loaded.
/// </summary>
public sealed class FailedAuthenticationLimit(ApiKeyDirectory directory, IConfiguration configuration, IOptions<RateLimitOptions> options)
    : IRateLimiterPolicy<string>
{
    public const string Name = "failed-authentication";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (context, cancellationToken) =>
    {
        RateLimiting.SetRetryAfter(context);
        var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context.HttpContext,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = "too many requests with a bearer key that opens nothing came from this address; retry after the time in Retry-After",
            },
        });
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        if (!directory.IsLoaded
            || CreditorKeyFilter.Authenticate(httpContext, directory) is not null
            || ApiKeys.IsOperatorKey(configuration, ApiKeys.Bearer(httpContext)))
        {
            return RateLimitPartition.GetNoLimiter(string.Empty);
        }

        var limits = options.Value;
        return RateLimitPartition.GetFixedWindowLimiter(RateLimiting.ClientAddress(httpContext), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limits.FailedAuthentications,
            Window = limits.FailedAuthenticationWindow,
            QueueLimit = 0,
        });
    }
}
