using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Recouvrement.Silo.Hosting;

/// <summary>
/// Where a silo listens and which cluster it joins. Bound from <c>Recouvrement:Cluster</c>, while the silo is
/// configured (through <see cref="Recouvrement.Hosting.ValidatedOptions.Read{T}"/>).
/// </summary>
public sealed class SiloOptions : IValidatableObject
{
    public const string Section = "Recouvrement:Cluster";

    /// <summary>Silo-to-silo port. Default: 11111.</summary>
    [Range(1, 65_535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port Orleans clients (the API tier) connect to. Default: 30000.</summary>
    [Range(1, 65_535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Identifies one deployment's silos in the membership table. Default: <c>recouvrement</c>.</summary>
    [Required]
    public string ClusterId { get; set; } = "recouvrement";

    /// <summary>Identifies the service across deployments; grain state and reminders are keyed by it. Default: <c>recouvrement</c>.</summary>
    [Required]
    public string ServiceId { get; set; } = "recouvrement";

    /// <summary>The address other silos reach this one at, an IP address. Default: 127.0.0.1.</summary>
    [Required]
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// Run as a Kubernetes pod: name, address, cluster and service ids come from the pod, and defunct silos' pods are
    /// watched and cleaned up. Default: false.
    /// </summary>
    public bool Kubernetes { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IPAddress.TryParse(AdvertisedAddress, out _))
        {
            yield return new ValidationResult("must be an IP address", [nameof(AdvertisedAddress)]);
        }

        if (SiloPort == GatewayPort)
        {
            yield return new ValidationResult("must differ from SiloPort", [nameof(GatewayPort)]);
        }
    }
}
