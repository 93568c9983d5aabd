using System.Net;
using System.Net.Sockets;

namespace Recouvrement.Tests.Support;

/// <summary>Asks the OS for a free loopback port, so parallel test hosts never collide.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
