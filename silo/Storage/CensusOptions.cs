using System.ComponentModel.DataAnnotations;

namespace Recouvrement.Silo.Storage;

/// <summary><c>Recouvrement:Metrics</c>: how often the cases are counted for the <c>recouvrement.cases</c> gauge (PostgreSQL only).</summary>
public sealed class CensusOptions
{
    public const string Section = "Recouvrement:Metrics";

    /// <summary>How often the cases are counted by status in storage, in seconds. Default: 60.</summary>
    [Range(1, 86_400)]
    public int CensusSeconds { get; set; } = 60;
}
