using System.ComponentModel.DataAnnotations;

namespace Recouvrement.Messaging;

/// <summary>
/// The collection agency that operates the engine, as CPCE R124-4 wants it named in the first letter to a debtor.
/// Bound from <c>Recouvrement:Agency</c>.
/// </summary>
public sealed class AgencyOptions
{
    public const string Section = "Recouvrement:Agency";

    [Required]
    public string Name { get; set; } = "Recouvrement";

    /// <summary>The agency's postal address on one line.</summary>
    [Required]
    public string Address { get; set; } = "adresse à configurer (Recouvrement:Agency:Address)";

    /// <summary>Where a debtor can write or call; printed on letters.</summary>
    public string? Contact { get; set; }

    public bool IsConfigured => !Address.Contains("Recouvrement:Agency:Address", StringComparison.Ordinal);
}
