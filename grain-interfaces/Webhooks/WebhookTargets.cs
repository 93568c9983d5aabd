using System.Net;
using System.Net.Sockets;

namespace Recouvrement.Webhooks;

/// <summary>
/// Where a creditor's webhook may point: an <c>https</c> URL whose host resolves only to public addresses, so that no
/// creditor can make the engine call into the network it runs in (its database, its metadata service, its admin
/// pages). Checked when a subscription is made and again on every delivery, against the address actually connected
/// to, so a host name that later resolves elsewhere (DNS rebinding) is refused too.
/// </summary>
public static class WebhookTargets
{
    public const int MaxUrlLength = 2048;

    /// <summary>What a target in a refused range is told.</summary>
    public const string PrivateRefusal = "the host resolves to a private, loopback, link-local or reserved address, which webhooks may not reach";

    private static readonly IPNetwork[] RefusedV4 =
    [
        IPNetwork.Parse("0.0.0.0/8"), // "this" network
        IPNetwork.Parse("10.0.0.0/8"), // private
        IPNetwork.Parse("100.64.0.0/10"), // carrier-grade NAT
        IPNetwork.Parse("127.0.0.0/8"), // loopback
        IPNetwork.Parse("169.254.0.0/16"), // link-local, cloud metadata services
        IPNetwork.Parse("172.16.0.0/12"), // private
        IPNetwork.Parse("192.0.0.0/24"), // protocol assignments
        IPNetwork.Parse("192.0.2.0/24"), // documentation
        IPNetwork.Parse("192.88.99.0/24"), // 6to4 relays
        IPNetwork.Parse("192.168.0.0/16"), // private
        IPNetwork.Parse("198.18.0.0/15"), // benchmarking
        IPNetwork.Parse("198.51.100.0/24"), // documentation
        IPNetwork.Parse("203.0.113.0/24"), // documentation
        IPNetwork.Parse("224.0.0.0/4"), // multicast
        IPNetwork.Parse("240.0.0.0/4"), // reserved, broadcast
    ];

    private static readonly IPNetwork[] RefusedV6 =
    [
        IPNetwork.Parse("::/96"), // unspecified, loopback, IPv4-compatible
        IPNetwork.Parse("64:ff9b:1::/48"), // local-use NAT64
        IPNetwork.Parse("100::/64"), // discard
        IPNetwork.Parse("2001::/32"), // Teredo
        IPNetwork.Parse("2001:db8::/32"), // documentation
        IPNetwork.Parse("fc00::/7"), // unique-local
        IPNetwork.Parse("fe80::/10"), // link-local
        IPNetwork.Parse("fec0::/10"), // site-local (deprecated)
        IPNetwork.Parse("ff00::/8"), // multicast
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    /// <summary>Whether a webhook may connect to <paramref name="address"/>: not in any private, loopback, link-local, unique-local or reserved range.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return !Array.Exists(RefusedV4, n => n.Contains(address));
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6 || Array.Exists(RefusedV6, n => n.Contains(address)))
        {
            return false;
        }

        // Translated addresses carry an IPv4 address, which must be public too.
        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address))
        {
            return IsPublic(new IPAddress(bytes.AsSpan(12, 4)));
        }

        return !SixToFour.Contains(address) || IsPublic(new IPAddress(bytes.AsSpan(2, 4)));
    }

    /// <summary>
    /// What is wrong with <paramref name="url"/> as a webhook's target before its host is resolved, or null: absolute,
    /// <c>https</c> (plain <c>http</c> too when private targets are allowed), no credentials in it, at most
    /// <see cref="MaxUrlLength"/> characters.
    /// </summary>
    public static string? Problem(string? url, bool allowPrivateTargets, out Uri? target)
    {
        target = null;
        if (string.IsNullOrWhiteSpace(url))
        {
            return "required: the https URL the events are posted to";
        }

        if (url.Length > MaxUrlLength)
        {
            return $"at most {MaxUrlLength} characters";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return "an absolute https URL, e.g. https://example.org/recouvrement/events";
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !allowPrivateTargets)
        {
            return "must be https: deliveries carry signed business data";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "no credentials in the URL: it is listed back to anyone with the API key; check the signature instead";
        }

        target = uri;
        return null;
    }

    /// <summary>
    /// The addresses <paramref name="host"/> resolves to, and why they may not be used (null when they may): a host
    /// that resolves to nothing, or to any address outside the public ranges while private targets are not allowed.
    /// </summary>
    public static async Task<(IPAddress[] Addresses, string? Refusal)> ResolveAsync(string host, bool allowPrivateTargets, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
            }
            catch (SocketException)
            {
                addresses = [];
            }
        }

        if (addresses.Length == 0)
        {
            return (addresses, "the host does not resolve");
        }

        return (addresses, allowPrivateTargets || Array.TrueForAll(addresses, IsPublic) ? null : PrivateRefusal);
    }
}
