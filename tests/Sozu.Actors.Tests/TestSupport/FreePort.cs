using System.Net;
using System.Net.Sockets;

namespace Sozu.Actors.Tests.TestSupport;

internal static class FreePort
{
    /// <summary>A port the kernel just handed out for 127.0.0.1 (bound to port 0, then released).</summary>
    public static string Address()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return $"127.0.0.1:{((IPEndPoint)probe.LocalEndPoint!).Port}";
    }
}
