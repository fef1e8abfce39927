using Sozu.Net.Buffers;
using Sozu.Net.Interop;
using Sozu.Net.Loop;
using Sozu.Net.Tls;

namespace Sozu.Net.Sockets;

/// <summary>
/// A connected non-blocking socket registered once (IN|OUT|RDHUP|ET) with the loop, and the
/// readiness epoll last reported for it. Reads and writes keep that readiness honest: a short
/// read means the socket is drained (no extra recv just to see EAGAIN), a short write means
/// the kernel buffer is full until the next EPOLLOUT.
/// <para>
/// On an HTTPS session the client socket carries a <see cref="TlsConnection"/>: Receive and
/// Send then move plaintext, and the stages above (HTTP/1.1, the WebSocket pipe) run
/// unchanged over TLS. The Raw methods always move the bytes on the wire.
/// </para>
/// </summary>
internal sealed unsafe class SocketEndpoint : IReadyHandler
{
    private EventLoop? _loop;
    private ulong _token;
    private ISocketOwner? _owner;
    private TlsConnection? _tls;

    public int Fd { get; private set; } = -1;

    public Readiness Readiness { get; set; }

    public bool IsOpen => Fd >= 0;

    /// <summary>A read may make progress: the socket said so, or TLS holds bytes already received.</summary>
    public bool IsReadable => IsRawReadable || (_tls is not null && _tls.HasBufferedInput);

    public bool IsRawReadable => (Readiness & (Readiness.Readable | Readiness.PeerClosed | Readiness.Error)) != 0;

    /// <summary>
    /// Bytes wait to be read, whether or not their edge was handled yet: TLS input buffered here,
    /// or at least one byte in the kernel (a one-byte MSG_PEEK, nothing consumed). A soft stop asks
    /// this before it closes a keep-alive connection as idle: a request that reached the socket
    /// while the loop handled the stop is served, not answered by a FIN.
    /// </summary>
    public bool HasPendingInput()
    {
        if (_tls is not null && _tls.HasBufferedInput)
        {
            return true;
        }
        if (Fd < 0)
        {
            return false;
        }
        byte probe;
        return NativeSocket.Peek(Fd, &probe, 1, out _) == IoStatus.Done;
    }

    public bool IsWritable => (Readiness & (Readiness.Writable | Readiness.Error)) != 0;

    public bool HasError => (Readiness & Readiness.Error) != 0;

    /// <summary>The TLS layer of an HTTPS client socket, null for plain sockets.</summary>
    public TlsConnection? Tls => _tls;

    /// <summary>Bytes received and sent over this socket's life (plaintext under TLS; for metrics and access logs).</summary>
    public long BytesReceived { get; set; }

    public long BytesSent { get; set; }

    public void Open(EventLoop loop, int fd, ISocketOwner owner)
    {
        _loop = loop;
        _owner = owner;
        Fd = fd;
        Readiness = Readiness.None;
        BytesReceived = 0;
        BytesSent = 0;
        _token = loop.Register(fd, this);
    }

    /// <summary>From now on Receive and Send go through TLS; the socket owns and frees it.</summary>
    public void AttachTls(TlsConnection tls) => _tls = tls;

    public void SetOwner(ISocketOwner owner) => _owner = owner;

    public void OnReady(uint events)
    {
        var readiness = Readiness;
        if ((events & EpollFlags.In) != 0)
        {
            readiness |= Readiness.Readable;
        }
        if ((events & EpollFlags.Out) != 0)
        {
            readiness |= Readiness.Writable;
        }
        if ((events & EpollFlags.RdHup) != 0)
        {
            readiness |= Readiness.PeerClosed;
        }
        if ((events & (EpollFlags.Err | EpollFlags.Hup)) != 0)
        {
            readiness |= Readiness.Error;
        }
        Readiness = readiness;
        if (_tls is not null && (readiness & Readiness.Writable) != 0 && _tls.HasPendingOutput)
        {
            // Ciphertext (a handshake flight, an alert, a record's tail) goes out even if the stage has nothing new to send.
            _ = _tls.Flush(this);
        }
        _owner?.OnSocketReady(this);
    }

    /// <summary>Reads into the free space after the buffer's End (plaintext under TLS).</summary>
    public IoStatus Receive(PooledBuffer buffer, out int received)
    {
        var status = _tls is null
            ? ReceiveRaw(buffer.Data + buffer.End, buffer.FreeSpace, out received)
            : _tls.Receive(this, buffer.Data + buffer.End, buffer.FreeSpace, out received);
        buffer.End += received;
        BytesReceived += received;
        return status;
    }

    /// <summary>recv on the wire, keeping the readiness flags honest.</summary>
    public IoStatus ReceiveRaw(byte* data, int room, out int received)
    {
        var status = NativeSocket.Receive(Fd, data, room, out received);
        switch (status)
        {
            case IoStatus.Done:
                if (received < room)
                {
                    Readiness &= ~Readiness.Readable;
                }
                break;
            case IoStatus.WouldBlock:
            case IoStatus.Closed:
                Readiness &= ~(Readiness.Readable | Readiness.PeerClosed);
                break;
        }
        return status;
    }

    /// <summary>Sends from the buffer's Start and consumes what went out.</summary>
    public IoStatus Send(PooledBuffer buffer, int length, out int sent)
    {
        var status = Send(buffer.Data + buffer.Start, length, out sent);
        if (sent > 0)
        {
            buffer.Consume(sent);
        }
        return status;
    }

    public IoStatus Send(byte* data, int length, out int sent)
    {
        var status = _tls is null ? SendRaw(data, length, out sent) : _tls.Send(this, data, length, out sent);
        BytesSent += sent;
        return status;
    }

    /// <summary>send on the wire, keeping the readiness flags honest.</summary>
    public IoStatus SendRaw(byte* data, int length, out int sent)
    {
        var status = NativeSocket.Send(Fd, data, length, out sent);
        if (status == IoStatus.Done)
        {
            if (sent < length)
            {
                Readiness &= ~Readiness.Writable;
            }
        }
        else if (status == IoStatus.WouldBlock)
        {
            Readiness &= ~Readiness.Writable;
        }
        return status;
    }

    public IoStatus Send(ReadOnlySpan<byte> data, out int sent)
    {
        fixed (byte* raw = data)
        {
            return Send(raw, data.Length, out sent);
        }
    }

    /// <summary>Ends our direction: under TLS, close_notify first; while ciphertext is still queued there is no FIN, and the close that follows ends the connection.</summary>
    public void ShutdownWrite()
    {
        if (Fd >= 0 && (_tls is null || _tls.Shutdown(this)))
        {
            NativeSocket.ShutdownWrite(Fd);
        }
    }

    /// <summary>A small answer on a socket whose send buffer is empty (the stage had no buffer for it); best effort.</summary>
    public void SendBestEffort(ReadOnlySpan<byte> bytes)
    {
        if (_tls is null)
        {
            NativeSocket.SendBestEffort(Fd, bytes);
            return;
        }
        _ = Send(bytes, out _);
    }

    public void Close()
    {
        if (Fd < 0)
        {
            return;
        }
        if (_tls is not null)
        {
            // Best effort close_notify; a full socket loses it, as it would lose a FIN's data.
            _tls.Shutdown(this);
            _tls.Dispose();
            _tls = null;
        }
        _loop!.Unregister(_token);
        NativeSocket.Close(Fd);
        Fd = -1;
        Readiness = Readiness.None;
        _owner = null;
    }
}
