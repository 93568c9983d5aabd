using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Recouvrement.Api.Access;
using Recouvrement.Api.Admin;
using Recouvrement.Api.Cases;
using Recouvrement.Api.Console;
using Recouvrement.Api.Statements;
using Recouvrement.Api.DebtorPages;
using Recouvrement.Api.Debtors;
using Recouvrement.Api.Hosting;
using Recouvrement.Api.Imports;
using Recouvrement.Api.Letters;
using Recouvrement.Api.Litigation;
using Recouvrement.Api.Payments;
using Recouvrement.Api.Policy;
using Recouvrement.Api.ReadSide;
using Recouvrement.Api.Reports;
using Recouvrement.Api.Settings;
using Recouvrement.Api.Webhooks;
using Recouvrement.Hosting;

namespace Recouvrement.Api;

/// <summary>
/// The HTTP surface as one library of mappings: mapped into the silo process (single node) or run by the
/// client-api process against a cluster.
/// </summary>
public static class ApiHosting
{
    public static IServiceCollection AddRecouvrementApi(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // A body of the wrong type is refused by the framework before any handler runs: say what the endpoint takes.
            if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType && context.ProblemDetails.Detail is null)
            {
                var accepts = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>();
                context.ProblemDetails.Detail = ApiExceptionHandler.UnsupportedMediaType(context.HttpContext, accepts);
            }
        });
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddRecouvrementOpenApi();
        services.ConfigureHttpJsonOptions(options => Configure(options.SerializerOptions));
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddSingleton<CaseIntake>();
        // The read side: a silo registers its own first (in memory when embedded); the API tier alone reads PostgreSQL.
        services.TryAddSingleton<IEventLog>(sp => new PostgresEventLog(sp.GetRequiredService<Npgsql.NpgsqlDataSource>(), ServiceId(sp)));
        services.TryAddSingleton<ICaseSummaryReader>(sp => new PostgresCaseSummaryReader(sp.GetRequiredService<Npgsql.NpgsqlDataSource>(), ServiceId(sp)));
        services.TryAddSingleton<Reports.IReportCounters>(sp => new Reports.PostgresReportCounters(sp.GetRequiredService<Npgsql.NpgsqlDataSource>(), ServiceId(sp)));
        services.AddSingleton<CreditorKeyFilter>();
        services.AddSingleton<OperatorKeyFilter>();
        services.AddSingleton(TimeProvider.System);
        // The engine's clock (scaled in a demo or a process test): what "today" means for intake and payments. A silo
        // registers its own before the API is added; the API tier alone runs on real time.
        services.TryAddKeyedSingleton(EngineClock.Key, TimeProvider.System);
        OperatorKeyOptions.Require(services);
        services.AddValidatedOptions<ApiKeyOptions>(ApiKeyOptions.Section);
        services.AddSingleton<ApiKeyDirectory>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiKeyDirectory>());
        services.AddSingleton<ApiKeyUsage>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiKeyUsage>());
        services.AddRecouvrementRateLimits();
        services.AddValidatedOptions<TwilioWebhookOptions>(TwilioWebhookOptions.Section);
        services.AddValidatedOptions<SendGridWebhookOptions>(SendGridWebhookOptions.Section);
        services.AddValidatedOptions<LetterFolderOptions>(LetterFolderOptions.Section);
        services.AddValidatedOptions<AgencyInfo>(AgencyInfo.Section);
        services.AddValidatedOptions<StripeOptions>(StripeOptions.Section);
        Recouvrement.Webhooks.CreditorWebhookOptions.Register(services);
        services.AddValidatedOptions<Recouvrement.Payments.PaymentLinkOptions>(Recouvrement.Payments.PaymentLinkOptions.Section);
        services.TryAddSingleton<Recouvrement.Payments.PaymentLinks>();
        services.AddSingleton<SandboxPaymentProvider>();
        // Kept by the singleton payment provider: its handler is never rotated, and its pool renews connections itself.
        services.AddHttpClient<StripePaymentProvider>((sp, http) => http.Timeout = sp.GetRequiredService<IOptions<StripeOptions>>().Value.Timeout)
            .UseSocketsHttpHandler((handler, _) => handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
        services.AddSingleton<IPaymentProvider>(sp => sp.GetRequiredService<IOptions<StripeOptions>>().Value.Enabled
            ? sp.GetRequiredService<StripePaymentProvider>()
            : sp.GetRequiredService<SandboxPaymentProvider>());
        services.AddRecouvrementConsole();
        services.AddStatements();
        return services;
    }

    private static string ServiceId(IServiceProvider services) =>
        services.GetRequiredService<IOptions<Orleans.Configuration.ClusterOptions>>().Value.ServiceId;

    /// <summary>
    /// camelCase fields, snake_case enum values (<c>formal_notice</c>, <c>on_hold</c>), money with two decimals, and a key
    /// sent twice in one object refused (which of the two was meant cannot be known).
    /// </summary>
    public static void Configure(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        json.AllowDuplicateProperties = false;
        json.Converters.Add(new SnakeCaseEnums());
        json.Converters.Add(new TwoDecimals());
    }

    public static WebApplication MapRecouvrementApi(this WebApplication app)
    {
        app.UseDebtorPageHeaders();
        app.UseConsoleHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRateLimiter();
        app.MapOpenApi("/openapi/{documentName}.json");
        var api = app.MapGroup("/api/v1");
        api.MapAdminApi();
        var creditor = api.MapGroup(string.Empty).AddEndpointFilter<CreditorKeyFilter>().RequireRateLimiting(FailedAuthenticationLimit.Name)
            .ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status429TooManyRequests, StatusCodes.Status503ServiceUnavailable);
        creditor.MapCasesApi();
        creditor.MapCaseListApi();
        creditor.MapEventsApi();
        creditor.MapImportsApi();
        creditor.MapDebtorsApi();
        creditor.MapPolicyApi();
        creditor.MapSettingsApi();
        creditor.MapReportsApi();
        creditor.MapLettersApi();
        creditor.MapLitigationApi();
        creditor.MapCreditorWebhooksApi();
        creditor.MapStatementsApi();
        app.MapWebhooks();
        app.MapStripeWebhook();
        app.MapDebtorPages();
        app.MapRecouvrementConsole();
        return app;
    }
}

/// <summary>Maps what goes wrong with a request to a problem response; nothing a client sends turns into a 500.</summary>
public sealed class ApiExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is BadHttpRequestException { InnerException: JsonException json }
            && JsonBodyErrors.Describe(json, Accepts(httpContext)?.RequestType) is { } field)
        {
            httpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                Exception = exception,
                ProblemDetails = { Status = StatusCodes.Status400BadRequest, Title = "Bad request", Detail = "the request has invalid fields", Extensions = { ["errors"] = new[] { field } } },
            });
        }

        var (status, title, detail) = exception switch
        {
            BodyTooLargeException e => (StatusCodes.Status413PayloadTooLarge, "Payload too large", e.Message),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } e => (413, "Payload too large", e.Message),
            InvalidBodyException e => (StatusCodes.Status400BadRequest, "Bad request", e.Message),
            UnsupportedBodyException e => (StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", e.Message),
            BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } => (415, "Unsupported media type",
                UnsupportedMediaType(httpContext, Accepts(httpContext))),
            BadHttpRequestException { InnerException: JsonException syntax } => (400, "Bad request", string.Create(CultureInfo.InvariantCulture,
                $"the body is not valid JSON (line {syntax.LineNumber + 1}, byte {syntax.BytePositionInLine + 1})")),
            BadHttpRequestException e when e.Message.Contains("no body was provided", StringComparison.Ordinal) => (400, "Bad request",
                "a JSON body is required"),
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

    /// <summary>Which content types the endpoint takes, and what the request was.</summary>
    public static string UnsupportedMediaType(HttpContext context, Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata? accepts) =>
        $"this endpoint takes {string.Join(" or ", accepts?.ContentTypes is { Count: > 0 } types ? types : ["application/json"])}; the request was {context.Request.ContentType ?? "sent without a Content-Type"}";

    /// <summary>What the failed endpoint takes (the handler clears the request's endpoint; its feature keeps it).</summary>
    private static Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata? Accepts(HttpContext context) =>
        (context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint())?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>();
}
