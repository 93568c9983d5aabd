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
    public static IServiceCollection AddRecouvrementEngine(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddKeyedSingleton(EngineClock.Key, TimeProvider.System);
        services.AddEngineExceptions();
        services.AddValidatedOptions<Debtors.ContactOptions>(configuration, Debtors.ContactOptions.Section);
        services.AddValidatedOptions<Debtors.RetentionOptions>(configuration, Debtors.RetentionOptions.Section);
        services.AddValidatedOptions<OutboxOptions>(configuration, OutboxOptions.Section);
        services.AddValidatedOptions<PaymentLinkOptions>(configuration, PaymentLinkOptions.Section);
        services.AddValidatedOptions<AgencyOptions>(configuration, AgencyOptions.Section);
        services.AddValidatedOptions<SendGridOptions>(configuration, SendGridOptions.Section);
        services.AddValidatedOptions<TwilioOptions>(configuration, TwilioOptions.Section);
        services.AddValidatedOptions<LetterOptions>(configuration, LetterOptions.Section);
        services.TryAddSingleton<PaymentLinks>();
        services.TryAddSingleton<Debtors.DispatchSlots>();
        services.TryAddSingleton<Debtors.DispatchRunner>();
        services.TryAddSingleton<Cases.CaseWakeups>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IIncomingGrainCallFilter, FailedCallDropsActivation>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IIncomingGrainCallFilter, BulkIntakeReread>());
        services.TryAddSingleton<Cases.ICaseBulkStore, Cases.NoBulkStore>();
        Webhooks.CreditorWebhookOptions.Register(services);
        services.TryAddSingleton<Webhooks.WebhookSecrets>();
        services.AddWebhookClient();
        services.TryAddSingleton(sp => new Webhooks.WebhookSender(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(Webhooks.WebhookSender.ClientName),
            sp.GetRequiredService<IOptions<Webhooks.CreditorWebhookOptions>>(),
            sp.GetRequiredKeyedService<TimeProvider>(EngineClock.Key),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<Webhooks.WebhookDeliveryRunner>();

        services.TryAddSingleton<OutboxFolderChannel>();
        services.TryAddSingleton(sp => new LetterPdf(sp.GetRequiredService<IOptions<LetterOptions>>().Value));
        services.TryAddSingleton(sp => new Documents.DocumentPdf(
            sp.GetRequiredService<IOptions<LetterOptions>>().Value.FontPath, sp.GetRequiredService<IOptions<LetterOptions>>().Value.BoldFontPath));
        services.TryAddSingleton<LetterChannel>();
        services.TryAddSingleton<MessageFiles>();
        services.TryAddSingleton<Debtors.DebtorTraces>();
        services.AddProviderClient<SendGridOptions>(nameof(SendGridEmailChannel));
        services.TryAddSingleton(sp => new SendGridEmailChannel(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(SendGridEmailChannel)),
            sp.GetRequiredService<IOptions<SendGridOptions>>().Value, TimeProvider.System, sp.GetRequiredService<ILogger<SendGridEmailChannel>>()));
        services.AddProviderClient<TwilioOptions>(nameof(TwilioClient))
            .AddTypedClient((http, sp) => new TwilioClient(http, sp.GetRequiredService<IOptions<TwilioOptions>>().Value, TimeProvider.System));
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
    /// A provider's named <see cref="HttpClient"/>, its timeout from the provider's options. Each channel is a singleton
    /// that keeps the client it gets, so the handler is never rotated and its pool renews connections itself to follow
    /// DNS. No logging handlers: the factory's would log every request's address (with the account SID) and cost a
    /// scope per message.
    /// </summary>
    private static IHttpClientBuilder AddProviderClient<TOptions>(this IServiceCollection services, string name)
        where TOptions : ProviderOptions => services
        .AddHttpClient(name, (sp, http) => http.Timeout = sp.GetRequiredService<IOptions<TOptions>>().Value.Timeout)
        .UseSocketsHttpHandler((handler, _) => handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5))
        .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
        .RemoveAllLoggers();

    /// <summary>
    /// The webhooks' named <see cref="HttpClient"/>: every connection goes through <see cref="Webhooks.WebhookSender.Handler"/>,
    /// which resolves and checks the target's addresses; the timeout is <see cref="Webhooks.CreditorWebhookOptions.Timeout"/>.
    /// </summary>
    private static void AddWebhookClient(this IServiceCollection services) => services
        .AddHttpClient(Webhooks.WebhookSender.ClientName, (sp, http) =>
        {
            http.Timeout = sp.GetRequiredService<IOptions<Webhooks.CreditorWebhookOptions>>().Value.Timeout;
            http.DefaultRequestHeaders.UserAgent.Add(new System.Net.Http.Headers.ProductInfoHeaderValue("Recouvrement-Webhooks", "1"));
        })
        .ConfigurePrimaryHttpMessageHandler(sp => Webhooks.WebhookSender.Handler(sp.GetRequiredService<IOptions<Webhooks.CreditorWebhookOptions>>().Value))
        .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
        .RemoveAllLoggers();
}
