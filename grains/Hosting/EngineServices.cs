using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recouvrement.Channels;
using Recouvrement.Messaging;
using Recouvrement.Payments;

namespace Recouvrement.Hosting;

/// <summary>Registers what the grains need besides Orleans itself.</summary>
public static class EngineServices
{
    public const string SendGridSection = "Recouvrement:Channels:SendGrid";
    public const string TwilioSection = "Recouvrement:Channels:Twilio";
    public const string LettersSection = "Recouvrement:Channels:Letters";

    public static IServiceCollection AddRecouvrementEngine(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddKeyedSingleton(EngineClock.Key, TimeProvider.System);
        services.AddEngineExceptions();
        services.Configure<Debtors.ContactOptions>(configuration.GetSection("Recouvrement:Contact"));
        services.AddOptions<Debtors.RetentionOptions>().Bind(configuration.GetSection("Recouvrement:Retention"))
            .Validate(o => o.ClosedCaseDays is >= 1 and <= 3650, "Recouvrement:Retention:ClosedCaseDays must be between 1 and 3650").ValidateOnStart();
        services.Configure<OutboxOptions>(configuration.GetSection("Recouvrement:Outbox"));
        services.Configure<PaymentLinkOptions>(configuration.GetSection("Recouvrement:PaymentLinks"));
        services.Configure<AgencyOptions>(configuration.GetSection("Recouvrement:Agency"));
        services.Configure<SendGridOptions>(configuration.GetSection(SendGridSection));
        services.Configure<TwilioOptions>(configuration.GetSection(TwilioSection));
        services.Configure<LetterOptions>(configuration.GetSection(LettersSection));
        services.TryAddSingleton<PaymentLinks>();
        services.TryAddSingleton<Debtors.DispatchSlots>();
        services.TryAddSingleton<Debtors.DispatchRunner>();
        services.TryAddSingleton<Cases.CaseWakeups>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IIncomingGrainCallFilter, FailedCallDropsActivation>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IIncomingGrainCallFilter, BulkIntakeReread>());
        services.TryAddSingleton<Cases.ICaseBulkStore, Cases.NoBulkStore>();
        Webhooks.CreditorWebhookOptions.Register(services);
        services.TryAddSingleton<Webhooks.WebhookSecrets>();
        services.TryAddSingleton<Webhooks.WebhookSender>();
        services.TryAddSingleton<Webhooks.WebhookDeliveryRunner>();

        services.TryAddSingleton<OutboxFolderChannel>();
        services.TryAddSingleton(sp => new LetterPdf(sp.GetRequiredService<IOptions<LetterOptions>>().Value));
        services.TryAddSingleton(sp => new Documents.DocumentPdf(
            sp.GetRequiredService<IOptions<LetterOptions>>().Value.FontPath, sp.GetRequiredService<IOptions<LetterOptions>>().Value.BoldFontPath));
        services.TryAddSingleton<LetterChannel>();
        services.TryAddSingleton<MessageFiles>();
        services.TryAddSingleton<Debtors.DebtorTraces>();
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SendGridOptions>>().Value;
            return new SendGridEmailChannel(Http(options), options, TimeProvider.System, sp.GetRequiredService<ILogger<SendGridEmailChannel>>());
        });
        services.AddTwilioClient();
        services.TryAddSingleton(sp => new TwilioSmsChannel(
            sp.GetRequiredService<TwilioClient>(), sp.GetRequiredService<IOptions<TwilioOptions>>().Value, TimeProvider.System, sp.GetRequiredService<ILogger<TwilioSmsChannel>>()));

        // The embedded default writes e-mails and SMS to the outbox folder; a provider takes over once configured.
        services.TryAddSingleton(sp => new ChannelRouter(
            sp.GetRequiredService<IOptions<SendGridOptions>>().Value.Enabled ? sp.GetRequiredService<SendGridEmailChannel>() : sp.GetRequiredService<OutboxFolderChannel>(),
            sp.GetRequiredService<IOptions<TwilioOptions>>().Value.Enabled ? sp.GetRequiredService<TwilioSmsChannel>() : sp.GetRequiredService<OutboxFolderChannel>(),
            sp.GetRequiredService<LetterChannel>()));
        services.TryAddSingleton<IMessageChannel>(sp => sp.GetRequiredService<ChannelRouter>());
        return services;
    }

    /// <summary>
    /// Twilio's typed <see cref="HttpClient"/>: the channel, a singleton, keeps the one it gets, so its handler is never
    /// rotated and its pool renews connections itself to follow DNS. No logging handlers: the factory's would log every
    /// request's address (with the account SID) and cost a scope per SMS.
    /// </summary>
    private static void AddTwilioClient(this IServiceCollection services) => services
        .AddHttpClient(nameof(TwilioClient), (sp, http) => http.Timeout = sp.GetRequiredService<IOptions<TwilioOptions>>().Value.Timeout)
        .UseSocketsHttpHandler((handler, _) => handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5))
        .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
        .RemoveAllLoggers()
        .AddTypedClient((http, sp) => new TwilioClient(http, sp.GetRequiredService<IOptions<TwilioOptions>>().Value, TimeProvider.System));

    private static HttpClient Http(ProviderOptions options) => new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = options.Timeout,
    };
}
