using Sozu.Net.Sockets;

namespace Sozu.Net.ProxyProtocol;

/// <summary>
/// What a complete PROXY header said. <see cref="HasAddresses"/> is false for a v2 LOCAL
/// command (a health check of the balancer itself), a v1 UNKNOWN line, and the v2 UNSPEC and
/// UNIX families: the connection then keeps the socket's own addresses, as the specification asks.
/// </summary>
public readonly struct ProxyHeader
{
    public ProxyHeader(int version, bool hasAddresses, NativeAddress source, NativeAddress destination)
    {
        Version = version;
        HasAddresses = hasAddresses;
        Source = source;
        Destination = destination;
    }

    /// <summary>1 (text) or 2 (binary).</summary>
    public int Version { get; }

    public bool HasAddresses { get; }

    /// <summary>The client, as the sender saw it (empty without addresses).</summary>
    public NativeAddress Source { get; }

    /// <summary>The address the client connected to, as the sender saw it (empty without addresses).</summary>
    public NativeAddress Destination { get; }
}
