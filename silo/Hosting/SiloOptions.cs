namespace Recouvrement.Silo.Hosting;

/// <summary>Where a silo listens and which cluster it joins. Bound from <c>Recouvrement:Cluster</c>.</summary>
public sealed class SiloOptions
{
    /// <summary>Silo-to-silo port. Default: 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port Orleans clients (the API tier) connect to. Default: 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Identifies one deployment's silos in the membership table. Default: <c>recouvrement</c>.</summary>
    public string ClusterId { get; set; } = "recouvrement";

    /// <summary>Identifies the service across deployments; grain state and reminders are keyed by it. Default: <c>recouvrement</c>.</summary>
    public string ServiceId { get; set; } = "recouvrement";

    /// <summary>The address other silos reach this one at. Default: 127.0.0.1.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";
}
