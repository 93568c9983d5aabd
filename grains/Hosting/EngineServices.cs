using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Recouvrement.Messaging;
using Recouvrement.Payments;

namespace Recouvrement.Hosting;

/// <summary>Registers what the grains need besides Orleans itself.</summary>
public static class EngineServices
{
    public static IServiceCollection AddRecouvrementEngine(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddKeyedSingleton(EngineClock.Key, TimeProvider.System);
        services.Configure<Debtors.ContactOptions>(configuration.GetSection("Recouvrement:Contact"));
        services.Configure<OutboxOptions>(configuration.GetSection("Recouvrement:Outbox"));
        services.Configure<PaymentLinkOptions>(configuration.GetSection("Recouvrement:PaymentLinks"));
        services.TryAddSingleton<PaymentLinks>();
        services.TryAddSingleton<IMessageChannel, OutboxFolderChannel>();
        return services;
    }
}
