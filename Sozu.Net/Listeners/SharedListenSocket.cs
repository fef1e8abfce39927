using System.Net.Sockets;
using System.Text;
using Sozu.Net.Sockets;

namespace Sozu.Net.Listeners;

/// <summary>
/// The supervisor's listening sockets (the Sōzu way): opened once by the supervisor, shared by
/// every worker process, so that there is one accept queue per address and a connection waiting
/// in it survives the death of any worker: another one accepts it. Workers get them two ways:
/// inherited across exec (no close-on-exec; <see cref="Worker.ProxyWorkerOptions.InheritedListenerFds"/>)
/// for the listeners known at start, and fetched with SCM_RIGHTS from the supervisor's
/// <see cref="SharedListenSocketServer"/> (<see cref="Worker.ProxyWorkerOptions.SharedListenerSource"/>)
/// for those added later.
/// </summary>
public static class SharedListenSocket
{
    private const int MaxMessage = 512;

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

    /// <summary>
    /// Asks the server at <paramref name="sourcePath"/> for the shared socket of
    /// <paramref name="address"/>: a new descriptor of this process (close-on-exec), or -1 with
    /// a reason. Blocks for at most about two seconds.
    /// </summary>
    public static int Fetch(string sourcePath, string address, out string error)
    {
        ArgumentNullException.ThrowIfNull(address);
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            {
                ReceiveTimeout = 2000,
                SendTimeout = 2000,
            };
            socket.Connect(new UnixDomainSocketEndPoint(sourcePath));
            socket.Send(Encoding.UTF8.GetBytes(address));
            Span<byte> reply = stackalloc byte[MaxMessage];
            var length = FdPassing.Receive((int)socket.Handle, reply, out var fd);
            var text = length > 0 ? Encoding.UTF8.GetString(reply[..length]) : "no answer";
            if (text == "ok" && fd >= 0)
            {
                error = "";
                return fd;
            }
            if (fd >= 0)
            {
                NativeSocket.Close(fd);
            }
            error = $"no shared socket for {address} from {sourcePath}: {text}";
            return -1;
        }
        catch (SocketException e)
        {
            error = $"no shared socket for {address} from {sourcePath}: {e.Message}";
            return -1;
        }
    }

    /// <summary>Server side: answers one request on <paramref name="connection"/> with <paramref name="fd"/> (≥ 0) or <paramref name="error"/>.</summary>
    internal static bool Reply(Socket connection, int fd, string error) =>
        FdPassing.Send((int)connection.Handle, Encoding.UTF8.GetBytes(fd >= 0 ? "ok" : error.Length == 0 ? "refused" : error), fd);

    internal static int MaxRequest => MaxMessage;
}
