using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Recouvrement.Silo.Hosting;

namespace Recouvrement.Tests.Support;

/// <summary>The real single-node process (silo + API) started in-process on free loopback ports, spoken to over HTTP.</summary>
public class EngineHost : IAsyncLifetime
{
    /// <summary>At least 32 characters, as every configured operator key must be.</summary>
    public const string OperatorKey = "op-test-key-0123456789abcdef0123456789";
    public const string DemoKey = "rk_demo_test_key";
    public const string DemoCreditor = "demo";
    private WebApplication? _app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The port Orleans clients (a separate API process) connect to.</summary>
    public int GatewayPort { get; } = FreePort.Next();

    public string OutboxFolder { get; } = Directory.CreateTempSubdirectory("recouvrement-api-outbox-").FullName;

    public const string StripeWebhookSecret = "whsec_test_secret_for_the_engine";

    public string LettersFolder => Path.Combine(OutboxFolder, "letters");

    /// <summary>
    /// The settings of a host on PostgreSQL: the database, and the outbox folder and sandbox checkout allowed on purpose
    /// with a signing key, as the production guard asks.
    /// </summary>
    public static IEnumerable<string> DurableArgs(string connectionString) =>
    [
        $"--ConnectionStrings:Recouvrement={connectionString}",
        "--Recouvrement:Channels:Outbox=true",
        "--Recouvrement:Payments:Sandbox=true",
        $"--Recouvrement:PaymentLinks:SigningKey={SiloProcess.SigningKey}",
    ];

    /// <summary>More command-line settings, for hosts that need them (a scaled clock, say).</summary>
    protected virtual IEnumerable<string> ExtraArgs => [];

    /// <summary>Changes to the host's builder before the engine is added (a logging provider, a grain call filter, say).</summary>
    protected virtual void Customize(WebApplicationBuilder builder)
    {
    }

    public virtual async Task InitializeAsync()
    {
        var port = FreePort.Next();
        _app = SiloHost.Build(
        [
            $"--urls=http://127.0.0.1:{port}",
            $"--Recouvrement:Cluster:SiloPort={FreePort.Next()}",
            $"--Recouvrement:Cluster:GatewayPort={GatewayPort}",
            $"--Recouvrement:OperatorKey={OperatorKey}",
            $"--Recouvrement:Demo:ApiKey={DemoKey}",
            $"--Recouvrement:Outbox:Path={OutboxFolder}",
            $"--Recouvrement:Channels:Letters:Path={LettersFolder}",
            "--Logging:LogLevel:Default=Warning",
            $"--Recouvrement:Payments:Stripe:WebhookSecret={StripeWebhookSecret}",
            .. ExtraArgs,
        ], Customize);
        await _app.StartAsync();
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    /// <summary>The host's own grain factory, to put a case in a state the HTTP API does not reach directly.</summary>
    public IGrainFactory Grains => _app!.Services.GetRequiredService<IGrainFactory>();

    /// <summary>The host's services, to look at a component from inside.</summary>
    public IServiceProvider Services => _app!.Services;

    /// <summary>The token of a payment link to the debtor's page, signed by the host as its messages sign them.</summary>
    public string TokenFor(string debtorReference) => _app!.Services.GetRequiredService<Recouvrement.Payments.PaymentLinks>()
        .TokenFor(GrainKeys.Compose(DemoCreditor, debtorReference), _app.Services.GetRequiredService<TimeProvider>().GetUtcNow());

    public HttpClient Client(string? key = DemoKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public virtual async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Directory.Delete(OutboxFolder, recursive: true);
    }
}
