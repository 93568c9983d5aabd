using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Recouvrement.Api.Payments;
using Recouvrement.Payments;

namespace Recouvrement.Api.DebtorPages;

/// <summary>
/// What every answer under <c>/p/</c> and <c>/sandbox/checkout/</c> tells the browser, since its address holds the
/// debtor's only key: keep no copy (<c>no-store</c>), send the address to no other site (<c>no-referrer</c>: the
/// checkout page would otherwise receive it), and a policy that lets the page do only what it does — its own
/// style (by hash: no script, no inline style attribute), forms posted to itself, to the public address and to the
/// payment provider the pay form is redirected to — and lets no other site frame it.
/// </summary>
public static class PageHeaders
{
    /// <summary>The hash of the pages' one <c>&lt;style&gt;</c> element, which is all the style they have.</summary>
    public static readonly string StyleSource = $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Html.Style)))}'";

    public static string ContentSecurityPolicy(string publicAddress, string? checkoutOrigin)
    {
        var formAction = "'self'";
        if (Uri.TryCreate(publicAddress, UriKind.Absolute, out var address))
        {
            formAction += " " + address.GetLeftPart(UriPartial.Authority);
        }

        if (checkoutOrigin is not null)
        {
            formAction += " " + checkoutOrigin;
        }

        return $"default-src 'none'; style-src {StyleSource}; form-action {formAction}; frame-ancestors 'none'; base-uri 'none'";
    }

    public static bool IsDebtorPage(PathString path) => path.StartsWithSegments("/p") || path.StartsWithSegments("/sandbox/checkout");

    /// <summary>Sets the headers on every debtor-page response, errors and redirects included, as it starts.</summary>
    public static IApplicationBuilder UseDebtorPageHeaders(this IApplicationBuilder app)
    {
        var policy = new Lazy<string>(() => ContentSecurityPolicy(
            app.ApplicationServices.GetRequiredService<IOptions<PaymentLinkOptions>>().Value.BaseUrl,
            app.ApplicationServices.GetRequiredService<IPaymentProvider>() is StripePaymentProvider ? StripePaymentProvider.CheckoutOrigin : null));
        return app.Use((context, next) =>
        {
            if (IsDebtorPage(context.Request.Path))
            {
                // At the start of the response: the exception handler clears headers set earlier.
                context.Response.OnStarting(() =>
                {
                    var headers = context.Response.Headers;
                    headers.CacheControl = "no-store";
                    headers["Referrer-Policy"] = "no-referrer";
                    headers.ContentSecurityPolicy = policy.Value;
                    headers.XContentTypeOptions = "nosniff";
                    return Task.CompletedTask;
                });
            }

            return next(context);
        });
    }
}
