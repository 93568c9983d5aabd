using Recouvrement.Hosting;

namespace Recouvrement.Api.Hosting;

/// <summary>
/// Limits on what an anonymous client can repeat, per fixed window (ASP.NET Core rate limiting). Bound from
/// <c>Recouvrement:RateLimits</c>. Over a limit the answer is 429 with <c>Retry-After</c> (seconds to the window's end).
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "Recouvrement:RateLimits";

    /// <summary>
    /// Requests to the creditor and admin API whose bearer token opens nothing (missing, unknown, revoked, a wrong
    /// operator key) accepted from one client IP address per window; the next ones get 429 until the window ends.
    /// Requests with a valid key are never counted nor limited. Default: 20.
    /// </summary>
    [Positive]
    public int FailedAuthentications { get; set; } = 20;

    /// <summary>The window of <see cref="FailedAuthentications"/>. Default: 1 minute.</summary>
    [Positive]
    public TimeSpan FailedAuthenticationWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Form posts of the debtor pages (<c>POST /p/{token}/pay|plan|dispute|details</c>) accepted per payment link per
    /// window; the next ones get a 429 page. Showing the page is not limited. Default: 10.
    /// </summary>
    [Positive]
    public int DebtorFormPosts { get; set; } = 10;

    /// <summary>The window of <see cref="DebtorFormPosts"/>. Default: 1 minute.</summary>
    [Positive]
    public TimeSpan DebtorFormWindow { get; set; } = TimeSpan.FromMinutes(1);
}
