using Recouvrement.Hosting;

namespace Recouvrement.Api.Access;

/// <summary>How an API process keeps its copy of the key directory and reports key use. Bound from <c>Recouvrement:ApiKeys</c>.</summary>
public sealed class ApiKeyOptions
{
    public const string Section = "Recouvrement:ApiKeys";

    /// <summary>
    /// How often the process asks the directory for changes: a key added or revoked through another process works, or
    /// stops working, here within this time (plus one grain call). The process that served the change applies it at
    /// once. Default: 5 seconds.
    /// </summary>
    [Positive]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often the uses of each key seen by the process are written as the key's <c>lastUsedAt</c>: one write per
    /// creditor whose keys were used, never one per request. Default: 1 minute.
    /// </summary>
    [Positive]
    public TimeSpan UsageFlushInterval { get; set; } = TimeSpan.FromMinutes(1);
}
