using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Recouvrement;

/// <summary>How the engine's processes (silos and the API tier) exchange what Orleans does not know by default.</summary>
public static class EngineSerialization
{
    /// <summary>
    /// Exceptions of the engine and of the database driver travel between processes as themselves: a storage failure
    /// reaches the API as a storage failure (answered 503), instead of failing to serialize and becoming a 500.
    /// </summary>
    public static IServiceCollection AddEngineExceptions(this IServiceCollection services) =>
        services.Configure<ExceptionSerializationOptions>(options =>
        {
            options.SupportedNamespacePrefixes.Add("Recouvrement");
            options.SupportedNamespacePrefixes.Add("Npgsql");
        });
}
