using System.Net;
using System.Net.Sockets;

namespace Sozu.EndToEnd.Tests.Support;

public static class FreePort
{
    /// <summary>A TCP port free on 127.0.0.1 right now (the kernel picks it).</summary>
    public static int Tcp()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
