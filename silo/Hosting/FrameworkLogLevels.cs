using Microsoft.Extensions.Configuration.Memory;

namespace Recouvrement.Silo.Hosting;

/// <summary>
/// The frameworks' own information lines start at Warning, so that a start reads as the engine's banner and not as
/// hundreds of lines from Orleans, Polly, HttpClient and ASP.NET Core. These are defaults, not filters: any
/// configuration source (appsettings, <c>Logging__LogLevel__Orleans=Information</c>, the command line) overrides them.
/// </summary>
public static class FrameworkLogLevels
{
    /// <summary>The log categories (and the categories under them) that start at Warning.</summary>
    public static readonly IReadOnlyList<string> QuietCategories =
        ["Orleans", "Polly", "System.Net.Http", "Microsoft.AspNetCore", "Microsoft.Hosting.Lifetime"];

    public static WebApplicationBuilder AddQuietFrameworkLogs(this WebApplicationBuilder builder)
    {
        // A key is read from the last source that has it, so the first source holds the defaults every other one beats.
        var defaults = new MemoryConfigurationSource
        {
            InitialData = QuietCategories.Select(category => KeyValuePair.Create($"Logging:LogLevel:{category}", (string?)nameof(LogLevel.Warning))),
        };
        ((IConfigurationBuilder)builder.Configuration).Sources.Insert(0, defaults);
        return builder;
    }
}
