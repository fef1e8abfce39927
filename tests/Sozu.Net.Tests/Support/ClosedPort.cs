using System.Net;
using System.Net.Sockets;

namespace Sozu.Net.Tests.Support;

/// <summary>
/// A 127.0.0.1 port where nothing listens, for a backend that refuses connections: the socket is
/// bound (port 0) but never listens, so a connect gets a reset, and it holds the port until
/// disposed, so no other process can start listening there during the test.
/// </summary>
internal sealed class ClosedPort : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public ClosedPort()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Address = $"127.0.0.1:{((IPEndPoint)_socket.LocalEndPoint!).Port}";
    }

    public string Address { get; }

    public void Dispose() => _socket.Dispose();
}
