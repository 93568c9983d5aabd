using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Recouvrement.Api.Console;

/// <summary>The creditor's and the operator's web console under <c>/console</c>: sessions, pages, and what they need.</summary>
public static class ConsoleHosting
{
    public static IServiceCollection AddRecouvrementConsole(this IServiceCollection services)
    {
        ConsoleOptions.Register(services);
        services.AddConsoleSessions();
        // With a database, every process of the service shares the keys of its cookies (see PostgresXmlRepository).
        services.AddDataProtection().SetApplicationName("recouvrement-console");
        services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((options, sp) =>
        {
            if (sp.GetService<Npgsql.NpgsqlDataSource>() is { } database)
            {
                options.XmlRepository = new PostgresXmlRepository(database, sp.GetRequiredService<IOptions<Orleans.Configuration.ClusterOptions>>().Value.ServiceId);
            }
        });
        services.Configure<RateLimiterOptions>(options => options.AddPolicy<string, ConsoleSignInLimit>(ConsoleSignInLimit.Name));
        return services;
    }

    public static WebApplication MapRecouvrementConsole(this WebApplication app)
    {
        var console = app.MapGroup("/console").ExcludeFromDescription().DisableAntiforgery().AddEndpointFilter<ConsoleFormFilter>();
        SignInPages.Map(console);
        var viewer = console.MapGroup(string.Empty).AddEndpointFilter(new ConsoleAccessFilter(ConsoleAccess.Viewer));
        viewer.MapGet("/", OverviewPage.Show);
        var agent = console.MapGroup(string.Empty).AddEndpointFilter(new ConsoleAccessFilter(ConsoleAccess.Agent));
        var admin = console.MapGroup(string.Empty).AddEndpointFilter(new ConsoleAccessFilter(ConsoleAccess.Admin));
        CasePages.Map(viewer, agent);
        StatementPages.Map(viewer);
        ImportPages.Map(viewer, agent);
        SettingsPages.Map(viewer, admin);
        WebhookPages.Map(viewer, admin);
        AccessPages.Map(viewer, admin);
        var operatorPages = console.MapGroup("/operator").AddEndpointFilter(new ConsoleAccessFilter(ConsoleAccess.Operator));
        operatorPages.MapGet("/", OperatorPages.Home);
        return app;
    }
}
