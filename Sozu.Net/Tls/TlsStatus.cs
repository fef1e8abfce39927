namespace Sozu.Net.Tls;

/// <summary>What one step of a TLS connection did: the small result the loop branches on.</summary>
internal enum TlsStatus : byte
{
    /// <summary>The handshake finished.</summary>
    Ok,

    /// <summary>Blocked until the client sends more bytes.</summary>
    WantRead,

    /// <summary>Blocked until the socket can take the bytes already encrypted.</summary>
    WantWrite,

    /// <summary>The client closed (close_notify or end of stream).</summary>
    Closed,

    /// <summary>A protocol error, an alert, or a dead socket: the connection is over.</summary>
    Error,
}
