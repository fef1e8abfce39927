using System.Buffers.Binary;
using System.Net.Sockets;

namespace Sozu.Actors.CommandSocket;

/// <summary>
/// The credentials the kernel recorded for the peer of a connected Unix socket (SO_PEERCRED):
/// the process at the other end cannot forge them.
/// </summary>
internal static class PeerCredentials
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>The peer's uid, or null when the kernel would not say (the peer is then refused).</summary>
    public static uint? Uid(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        // struct ucred { pid_t pid; uid_t uid; gid_t gid; }: three 32-bit fields in host order.
        Span<byte> ucred = stackalloc byte[12];
        try
        {
            var length = socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred);
            return length == ucred.Length ? BinaryPrimitives.ReadUInt32LittleEndian(ucred[4..]) : null;
        }
        catch (SocketException)
        {
            return null;
        }
        catch (ObjectDisposedException)
        {
            return null;
        }
    }
}
