using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Recouvrement.Api.Hosting;

namespace Recouvrement.Api.DebtorPages;

/// <summary>
/// Limits the form posts of one payment link (<c>POST /p/{token}/…</c>) to <see cref="RateLimitOptions.DebtorFormPosts"/>
/// per window, and answers the next ones with a page that says to wait. Showing the page (GET) is not limited.
/// </summary>
public sealed class DebtorFormLimit(IOptions<RateLimitOptions> options) : IRateLimiterPolicy<string>
{
    public const string Name = "debtor-forms";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (context, cancellationToken) =>
    {
        RateLimiting.SetRetryAfter(context);
        var request = context.HttpContext.Request;
        var english = request.Query["lang"].ToString() == "en";
        var back = $"/p/{Uri.EscapeDataString(request.RouteValues["token"]?.ToString() ?? string.Empty)}?lang={(english ? "en" : "fr")}";
        var page = Html.Page(english ? "en" : "fr",
            english ? "Too many requests" : "Trop de demandes",
            english
                ? $"<h1>Too many requests</h1><p>Several requests were sent from this page in a short time. Please wait a moment and try again.</p><p><a href=\"{Html.E(back)}\">Back to your invoices</a></p>"
                : $"<h1>Trop de demandes</h1><p>Plusieurs demandes ont été envoyées depuis cette page en peu de temps. Patientez un moment, puis réessayez.</p><p><a href=\"{Html.E(back)}\">Retour à vos factures</a></p>");
        context.HttpContext.Response.ContentType = "text/html; charset=utf-8";
        await context.HttpContext.Response.WriteAsync(page, Encoding.UTF8, cancellationToken);
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        if (!HttpMethods.IsPost(httpContext.Request.Method) || httpContext.Request.RouteValues["token"] is not string token)
        {
            return RateLimitPartition.GetNoLimiter(string.Empty);
        }

        var limits = options.Value;
        return RateLimitPartition.GetFixedWindowLimiter(token, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limits.DebtorFormPosts,
            Window = limits.DebtorFormWindow,
            QueueLimit = 0,
        });
    }
}
