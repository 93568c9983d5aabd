using System.Security.Cryptography;
using System.Text;

namespace Recouvrement.Api.Console;

/// <summary>
/// What every answer under <c>/console</c> tells the browser: keep no copy (the pages show a creditor's cases), send
/// only the origin as a referrer (the invitation page sends none), and a policy that lets the page do only what it does —
/// its one style element (by hash; no script at all), forms posted to itself, inline SVG charts — and no framing.
/// </summary>
public static class ConsoleHeaders
{
    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(ConsoleHtml.Style)))}'; " +
        "img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static IApplicationBuilder UseConsoleHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.Request.Path.StartsWithSegments("/console"))
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.CacheControl = "no-store";
                if (!headers.ContainsKey("Referrer-Policy"))
                {
                    headers["Referrer-Policy"] = "same-origin";
                }

                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                return Task.CompletedTask;
            });
        }

        return next(context);
    });
}
