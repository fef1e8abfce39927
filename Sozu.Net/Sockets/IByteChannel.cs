using Sozu.Net.Buffers;

namespace Sozu.Net.Sockets;

/// <summary>
/// The client side of a session as its protocol stages see it: a plain socket
/// (<see cref="SocketEndpoint"/>), or a TLS channel that decrypts into the caller's buffer
/// and encrypts what it is given. A TLS handshake stage sets <see cref="Sessions.Session.Channel"/>
/// and upgrades to <see cref="Http1.Proxying.Http1Stage"/>, which never knows the difference.
/// Readiness follows the socket's rules: after a short read, or EAGAIN, <see cref="IsReadable"/>
/// stays false until the next edge.
/// </summary>
internal interface IByteChannel
{
    /// <summary>A read may make progress (bytes, end of stream or an error are waiting).</summary>
    bool IsReadable { get; }

    bool IsWritable { get; }

    /// <summary>Plain bytes delivered to and accepted from the stages over the channel's life.</summary>
    long BytesReceived { get; }

    long BytesSent { get; }

    /// <summary>Appends plain bytes after the buffer's End.</summary>
    IoStatus Receive(PooledBuffer buffer, out int received);

    /// <summary>Reads plain bytes into scratch space (to drop them while lingering).</summary>
    IoStatus Receive(Span<byte> destination, out int received);

    /// <summary>Sends <paramref name="length"/> bytes from the buffer's Start and consumes what went out.</summary>
    IoStatus Send(PooledBuffer buffer, int length, out int sent);

    IoStatus Send(ReadOnlySpan<byte> data, out int sent);

    /// <summary>No more bytes will be sent (TLS: close_notify, then the socket's write side).</summary>
    void ShutdownWrite();
}
