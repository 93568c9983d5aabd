using System.ComponentModel.DataAnnotations;

namespace Recouvrement.Api.DebtorPages;

/// <summary>The agency named on the debtor page, from <c>Recouvrement:Agency</c> (the keys the letters use).</summary>
public sealed class AgencyInfo
{
    public const string Section = "Recouvrement:Agency";

    [Required]
    public string Name { get; set; } = "Recouvrement";

    [Required]
    public string Address { get; set; } = "adresse à configurer (Recouvrement:Agency:Address)";

    public string? Contact { get; set; }
}
