using Sozu.Net.Buffers;
using Sozu.Net.Interop;
using Sozu.Net.Loop;

namespace Sozu.Net.Sockets;

/// <summary>
/// A connected non-blocking socket registered once (IN|OUT|RDHUP|ET) with the loop, and the
/// readiness epoll last reported for it. Reads and writes keep that readiness honest: a short
/// read means the socket is drained (no extra recv just to see EAGAIN), a short write means
/// the kernel buffer is full until the next EPOLLOUT.
/// </summary>
internal sealed unsafe class SocketEndpoint : IReadyHandler, IByteChannel
{
    private EventLoop? _loop;
    private ulong _token;
    private ISocketOwner? _owner;

    public int Fd { get; private set; } = -1;

    public Readiness Readiness { get; set; }

    public bool IsOpen => Fd >= 0;

    public bool IsReadable => (Readiness & (Readiness.Readable | Readiness.PeerClosed | Readiness.Error)) != 0;

    public bool IsWritable => (Readiness & (Readiness.Writable | Readiness.Error)) != 0;

    public bool HasError => (Readiness & Readiness.Error) != 0;

    /// <summary>Bytes received and sent over this socket's life (for metrics and access logs).</summary>
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
        _owner?.OnSocketReady(this);
    }

    /// <summary>Reads into the free space after the buffer's End.</summary>
    public IoStatus Receive(PooledBuffer buffer, out int received)
    {
        var room = buffer.FreeSpace;
        var status = NativeSocket.Receive(Fd, buffer.Data + buffer.End, room, out received);
        switch (status)
        {
            case IoStatus.Done:
                buffer.End += received;
                BytesReceived += received;
                if (received < room)
                {
                    Readiness &= ~Readiness.Readable;
                }
                break;
            case IoStatus.WouldBlock:
                Readiness &= ~(Readiness.Readable | Readiness.PeerClosed);
                break;
            case IoStatus.Closed:
                Readiness &= ~(Readiness.Readable | Readiness.PeerClosed);
                break;
        }
        return status;
    }

    public IoStatus Receive(Span<byte> destination, out int received)
    {
        IoStatus status;
        fixed (byte* raw = destination)
        {
            status = NativeSocket.Receive(Fd, raw, destination.Length, out received);
        }
        if (status == IoStatus.Done)
        {
            BytesReceived += received;
            if (received < destination.Length)
            {
                Readiness &= ~Readiness.Readable;
            }
        }
        else if (status is IoStatus.WouldBlock or IoStatus.Closed)
        {
            Readiness &= ~(Readiness.Readable | Readiness.PeerClosed);
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
        var status = NativeSocket.Send(Fd, data, length, out sent);
        if (status == IoStatus.Done)
        {
            BytesSent += sent;
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

    public void ShutdownWrite()
    {
        if (Fd >= 0)
        {
            NativeSocket.ShutdownWrite(Fd);
        }
    }

    public void Close()
    {
        if (Fd < 0)
        {
            return;
        }
        _loop!.Unregister(_token);
        NativeSocket.Close(Fd);
        Fd = -1;
        Readiness = Readiness.None;
        _owner = null;
    }
}
