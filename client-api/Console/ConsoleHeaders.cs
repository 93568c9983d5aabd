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
            if (!context.Request.IsHttps && context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<ConsoleOptions>>().Value.RequireHttps)
            {
                // Its cookies are Secure: over plain HTTP a browser would drop them, and every form would fail.
                var language = ConsoleRequest.LanguageOf(context);
                var T = ConsoleHtml.Texts(language);
                return ConsoleHtml.Html(ConsoleHtml.Bare(language, "HTTPS", $"<h1>HTTPS</h1><p>{T("La console ne s'ouvre qu'en HTTPS.", "The console opens over HTTPS only.")}</p>"),
                    StatusCodes.Status400BadRequest).ExecuteAsync(context);
            }
        }

        return next(context);
    });
}
