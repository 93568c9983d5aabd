using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Recouvrement.Api.Access;
using Recouvrement.Api.Admin;
using Recouvrement.Api.Cases;
using Recouvrement.Api.DebtorPages;
using Recouvrement.Api.Debtors;
using Recouvrement.Api.Hosting;
using Recouvrement.Api.Imports;
using Recouvrement.Api.Letters;
using Recouvrement.Api.Payments;
using Recouvrement.Api.Policy;
using Recouvrement.Api.Settings;
using Recouvrement.Api.Webhooks;

namespace Recouvrement.Api;

/// <summary>
/// The HTTP surface as one library of mappings: mapped into the silo process (single node) or run by the
/// client-api process against a cluster.
/// </summary>
public static class ApiHosting
{
    public static IServiceCollection AddRecouvrementApi(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddRecouvrementOpenApi();
        services.ConfigureHttpJsonOptions(options => Configure(options.SerializerOptions));
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddSingleton<CaseIntake>();
        services.AddSingleton<CreditorKeyFilter>();
        services.AddSingleton<OperatorKeyFilter>();
        services.AddSingleton(TimeProvider.System);
        OperatorKeyOptions.Require(services);
        services.AddOptions<ApiKeyOptions>().BindConfiguration("Recouvrement:ApiKeys");
        services.AddSingleton<ApiKeyDirectory>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiKeyDirectory>());
        services.AddSingleton<ApiKeyUsage>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiKeyUsage>());
        services.AddRecouvrementRateLimits();
        services.AddOptions<TwilioWebhookOptions>().BindConfiguration("Recouvrement:Channels:Twilio");
        services.AddOptions<SendGridWebhookOptions>().BindConfiguration("Recouvrement:Channels:SendGrid");
        services.AddOptions<LetterFolderOptions>().BindConfiguration("Recouvrement:Channels:Letters");
        services.AddOptions<AgencyInfo>().BindConfiguration("Recouvrement:Agency");
        services.AddOptions<StripeOptions>().BindConfiguration("Recouvrement:Payments:Stripe");
        services.AddOptions<Recouvrement.Payments.PaymentLinkOptions>().BindConfiguration("Recouvrement:PaymentLinks");
        services.TryAddSingleton<Recouvrement.Payments.PaymentLinks>();
        services.AddSingleton<SandboxPaymentProvider>();
        services.AddSingleton<StripePaymentProvider>();
        services.AddSingleton<IPaymentProvider>(sp => sp.GetRequiredService<IOptions<StripeOptions>>().Value.Enabled
            ? sp.GetRequiredService<StripePaymentProvider>()
            : sp.GetRequiredService<SandboxPaymentProvider>());
        return services;
    }

    /// <summary>camelCase fields, snake_case enum values (<c>formal_notice</c>, <c>on_hold</c>).</summary>
    public static void Configure(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
    }

    public static WebApplication MapRecouvrementApi(this WebApplication app)
    {
        app.UseDebtorPageHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRateLimiter();
        app.MapOpenApi("/openapi/{documentName}.json");
        var api = app.MapGroup("/api/v1");
        api.MapAdminApi();
        var creditor = api.MapGroup(string.Empty).AddEndpointFilter<CreditorKeyFilter>().RequireRateLimiting(FailedAuthenticationLimit.Name)
            .ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status429TooManyRequests, StatusCodes.Status503ServiceUnavailable);
        creditor.MapCasesApi();
        creditor.MapImportsApi();
        creditor.MapDebtorsApi();
        creditor.MapPolicyApi();
        creditor.MapSettingsApi();
        creditor.MapLettersApi();
        app.MapWebhooks();
        app.MapStripeWebhook();
        app.MapDebtorPages();
        return app;
    }
}

/// <summary>Maps what goes wrong with a request to a problem response; nothing a client sends turns into a 500.</summary>
public sealed class ApiExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            BodyTooLargeException e => (StatusCodes.Status413PayloadTooLarge, "Payload too large", e.Message),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } e => (413, "Payload too large", e.Message),
            InvalidBodyException e => (StatusCodes.Status400BadRequest, "Bad request", e.Message),
            UnsupportedBodyException e => (StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", e.Message),
            BadHttpRequestException e => (e.StatusCode, "Bad request", e.Message),
            TimeoutException or OrleansException or Npgsql.NpgsqlException => (StatusCodes.Status503ServiceUnavailable, "Service unavailable",
                "the engine cannot store or read this now (its database or a silo is unavailable); nothing was applied that will not be found again: retry the request"),
            _ => (0, string.Empty, string.Empty),
        };
        if (status == 0)
        {
            return false;
        }

        httpContext.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = Problems.RetryAfterSeconds;
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
