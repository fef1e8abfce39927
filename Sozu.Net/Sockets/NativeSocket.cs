using System.Runtime.InteropServices;
using Sozu.Net.Interop;

namespace Sozu.Net.Sockets;

/// <summary>
/// Thin, allocation-free wrappers over the socket syscalls: retry on EINTR, map errno to
/// <see cref="IoStatus"/>. Every socket is non-blocking and close-on-exec.
/// </summary>
internal static unsafe class NativeSocket
{
    private const int ListenBacklog = 1024;

    /// <summary>TCP_NOTSENT_LOWAT of client sockets: unsent bytes the kernel queues per connection.</summary>
    private const int ClientUnsentLimit = 128 * 1024;

    /// <summary>
    /// Creates, binds and listens; SO_REUSEPORT so that every worker binds the same address.
    /// <paramref name="inheritable"/>: no close-on-exec, so that child processes share it.
    /// </summary>
    internal static int Listen(in NativeAddress address, out int errno, bool inheritable = false)
    {
        var family = address.Family;
        var fd = Libc.Socket(family, Libc.SockStream | Libc.SockNonBlock | (inheritable ? 0 : Libc.SockCloExec), 0);
        if (fd < 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return -1;
        }
        SetOption(fd, Libc.SolSocket, Libc.SoReuseAddr, 1);
        SetOption(fd, Libc.SolSocket, Libc.SoReusePort, 1);
        // Accepted sockets inherit it on Linux: no setsockopt per connection. Without it a head
        // and its body sent apart wait on Nagle and the peer's delayed ACK.
        SetOption(fd, Libc.IpProtoTcp, Libc.TcpNoDelay, 1);
        // Inherited too. Without it the kernel's send-buffer autotuning let each slow reader
        // (slowhttptest -X, a window of 10-20 bytes) queue ~3.9 MB of unsent response in the
        // proxy's socket (ss: tb 4 MiB, wmem 3.9 MB), and the worker spent seconds of system
        // time copying 500 of them in. Unsent bytes are capped; bytes in flight still grow with
        // the window, and the loop refills from its 16 KiB buffers long before this drains.
        SetOption(fd, Libc.IpProtoTcp, Libc.TcpNotSentLowat, ClientUnsentLimit);
        var copy = address;
        int result;
        fixed (byte* raw = NativeAddress.RawOf(ref copy))
        {
            result = Libc.Bind(fd, raw, copy.Length);
        }
        if (result < 0 || Libc.Listen(fd, ListenBacklog) < 0)
        {
            errno = Marshal.GetLastPInvokeError();
            Libc.Close(fd);
            return -1;
        }
        errno = 0;
        return fd;
    }

    /// <summary>Starts a non-blocking connect: the fd (connected or EINPROGRESS), or -1 with errno.</summary>
    internal static int Connect(in NativeAddress address, out int errno)
    {
        var fd = Libc.Socket(address.Family, Libc.SockStream | Libc.SockNonBlock | Libc.SockCloExec, 0);
        if (fd < 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return -1;
        }
        SetOption(fd, Libc.IpProtoTcp, Libc.TcpNoDelay, 1);
        var copy = address;
        int result;
        fixed (byte* raw = NativeAddress.RawOf(ref copy))
        {
            do
            {
                result = Libc.Connect(fd, raw, copy.Length);
                errno = result < 0 ? Marshal.GetLastPInvokeError() : 0;
            }
            while (result < 0 && errno == Errno.EIntr);
        }
        if (result < 0 && errno != Errno.EInProgress)
        {
            Libc.Close(fd);
            return -1;
        }
        errno = 0;
        return fd;
    }

    /// <summary>accept4 non-blocking; -1 with errno when nothing (EAGAIN) or an error.</summary>
    internal static int Accept(int listenFd, out NativeAddress peer, out int errno)
    {
        peer = default;
        int length = NativeAddress.Capacity;
        int fd;
        fixed (byte* raw = NativeAddress.RawOf(ref peer))
        {
            do
            {
                fd = Libc.Accept4(listenFd, raw, &length, Libc.SockNonBlock | Libc.SockCloExec);
                errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
            }
            while (fd < 0 && errno == Errno.EIntr);
        }
        peer.Length = fd < 0 ? 0 : length;
        return fd;
    }

    internal static IoStatus Receive(int fd, byte* buffer, int length, out int received) =>
        Recv(fd, buffer, length, 0, out received);

    /// <summary>recv with MSG_PEEK: the bytes stay queued in the kernel for the next read.</summary>
    internal static IoStatus Peek(int fd, byte* buffer, int length, out int received) =>
        Recv(fd, buffer, length, Libc.MsgPeek, out received);

    private static IoStatus Recv(int fd, byte* buffer, int length, int flags, out int received)
    {
        while (true)
        {
            var n = Libc.Recv(fd, buffer, length, flags);
            if (n > 0)
            {
                received = (int)n;
                return IoStatus.Done;
            }
            received = 0;
            if (n == 0)
            {
                return IoStatus.Closed;
            }
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Errno.EIntr)
            {
                continue;
            }
            return errno == Errno.EAgain ? IoStatus.WouldBlock : IoStatus.Error;
        }
    }

    internal static IoStatus Send(int fd, byte* buffer, int length, out int sent)
    {
        while (true)
        {
            var n = Libc.Send(fd, buffer, length, Libc.MsgNoSignal);
            if (n >= 0)
            {
                sent = (int)n;
                return IoStatus.Done;
            }
            sent = 0;
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Errno.EIntr)
            {
                continue;
            }
            return errno == Errno.EAgain ? IoStatus.WouldBlock : IoStatus.Error;
        }
    }

    /// <summary>Sends a small constant answer on a fresh socket (its send buffer is empty); best effort.</summary>
    internal static void SendBestEffort(int fd, ReadOnlySpan<byte> bytes)
    {
        fixed (byte* raw = bytes)
        {
            Send(fd, raw, bytes.Length, out _);
        }
    }

    /// <summary>SO_ERROR after a non-blocking connect: 0 when connected.</summary>
    internal static int PendingError(int fd)
    {
        int value = 0;
        int length = sizeof(int);
        return Libc.GetSockOpt(fd, Libc.SolSocket, Libc.SoError, (byte*)&value, &length) < 0
            ? Marshal.GetLastPInvokeError()
            : value;
    }

    internal static void ShutdownWrite(int fd) => Libc.Shutdown(fd, Libc.ShutWrite);

    /// <summary>
    /// shutdown(SHUT_RD) on a listening socket: Linux stops it listening (the queued connections
    /// are reset, new ones refused) for every descriptor of it, in every process.
    /// </summary>
    internal static void ShutdownListening(int fd) => Libc.Shutdown(fd, Libc.ShutRead);

    internal static void Close(int fd) => Libc.Close(fd);

    internal static void SetOption(int fd, int level, int name, int value) =>
        Libc.SetSockOpt(fd, level, name, (byte*)&value, sizeof(int));

    /// <summary>A close-on-exec duplicate of <paramref name="fd"/> (same socket, same accept queue); -1 on failure.</summary>
    internal static int Duplicate(int fd) => Libc.Fcntl(fd, Libc.FDupFdCloExec, 0);

    internal static bool SetNonBlocking(int fd)
    {
        var flags = Libc.Fcntl(fd, Libc.FGetFl, 0);
        return flags >= 0 && Libc.Fcntl(fd, Libc.FSetFl, flags | Libc.ONonBlock) >= 0;
    }

    internal static NativeAddress LocalAddress(int fd)
    {
        var address = default(NativeAddress);
        int length = NativeAddress.Capacity;
        fixed (byte* raw = NativeAddress.RawOf(ref address))
        {
            if (Libc.GetSockName(fd, raw, &length) < 0)
            {
                return default;
            }
        }
        address.Length = length;
        return address;
    }

    internal static NativeAddress PeerAddress(int fd)
    {
        var address = default(NativeAddress);
        int length = NativeAddress.Capacity;
        fixed (byte* raw = NativeAddress.RawOf(ref address))
        {
            if (Libc.GetPeerName(fd, raw, &length) < 0)
            {
                return default;
            }
        }
        address.Length = length;
        return address;
    }
}
