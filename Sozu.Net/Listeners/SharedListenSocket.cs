using Sozu.Net.Sockets;

namespace Sozu.Net.Listeners;

/// <summary>
/// The supervisor's listening sockets (the Sōzu way): opened once, without close-on-exec, so
/// every worker process it starts inherits the same socket and the same accept queue. A
/// connection waiting in that queue survives the death of any worker: another one accepts it.
/// Workers find them in <see cref="Worker.ProxyWorkerOptions.InheritedListenerFds"/>.
/// </summary>
public static class SharedListenSocket
{
    /// <summary>A listening, non-blocking, inheritable socket on "ip:port"; -1 with a reason on failure.</summary>
    public static int Open(string address, out string error)
    {
        if (!NativeAddress.TryParse(address, out var native, out error))
        {
            return -1;
        }
        var fd = NativeSocket.Listen(native, out var errno, inheritable: true);
        if (fd < 0)
        {
            error = $"cannot listen on {address}: errno {errno}";
            return -1;
        }
        error = "";
        return fd;
    }

    public static void Close(int fd) => NativeSocket.Close(fd);
}
