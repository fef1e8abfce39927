using System.Runtime.InteropServices;
using System.Text;
using Sozu.Actors.Remoting.Interop;

namespace Sozu.Actors.Remoting;

/// <summary>
/// The directory holding every slot's socket. Akka.Remote has no authentication, so the
/// directory's permissions are the only access control: it must be a real directory, owned
/// by the user running the process, with no group or world bits.
/// </summary>
public static class SocketDirectory
{
    /// <summary>sizeof(sockaddr_un.sun_path) on Linux, including the terminating NUL.</summary>
    public const int MaxSocketPathBytes = 108;

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const int GroupAndOtherBits = 0b000_111_111;
    private const int FileTypeMask = 0xF000;
    private const int DirectoryType = 0x4000;

    /// <summary>Creates the directory 0700 when it is missing, then refuses it unless it is private.</summary>
    public static void EnsurePrivate(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The actor transport uses Unix-domain sockets and Linux file permissions.");
        }
        if (!Path.IsPathFullyQualified(directory))
        {
            throw new ArgumentException($"The socket directory '{directory}' must be an absolute path: every process must resolve it alike.", nameof(directory));
        }
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, OwnerOnly);
        }
        var (owner, mode) = OwnerAndMode(directory);
        if ((mode & FileTypeMask) != DirectoryType)
        {
            throw new UnauthorizedAccessException($"The socket directory '{directory}' is not a directory (a symbolic link is refused too).");
        }
        var self = GetEffectiveUserId.Call();
        if (owner != self)
        {
            throw new UnauthorizedAccessException($"The socket directory '{directory}' is owned by uid {owner}, not by this process's uid {self}.");
        }
        if ((mode & GroupAndOtherBits) != 0)
        {
            throw new UnauthorizedAccessException(
                $"The socket directory '{directory}' has mode {Convert.ToString(mode & 0x1FF, 8)}; it must be 700 (no group or world access), since its permissions are the only access control of the actor transport.");
        }
    }

    /// <summary>
    /// The socket file of a slot: "&lt;directory&gt;/&lt;host&gt;-&lt;port&gt;.sock". Throws when
    /// the path does not fit in sun_path, because the kernel would truncate it silently.
    /// </summary>
    public static string SocketPath(string directory, string host, int port)
    {
        var path = Path.Combine(directory, $"{host}-{port}.sock");
        var bytes = Encoding.UTF8.GetByteCount(path);
        if (bytes >= MaxSocketPathBytes)
        {
            throw new ArgumentException(
                $"The socket path '{path}' is {bytes} bytes; a Unix socket path must be shorter than {MaxSocketPathBytes} bytes. Choose a shorter socket directory.");
        }
        return path;
    }

    /// <summary>The lock file that makes a slot exclusive to one process at a time.</summary>
    public static string LockPath(string socketPath) => socketPath + ".lock";

    private static unsafe (uint Owner, int Mode) OwnerAndMode(string path)
    {
        var buffer = stackalloc byte[Statx.BufferSize];
        if (Statx.Call(Statx.AtFdCwd, path, Statx.AtSymlinkNoFollow, Statx.MaskTypeModeUid, buffer) != 0)
        {
            throw new IOException($"Cannot inspect the socket directory '{path}': errno {Marshal.GetLastPInvokeError()}.");
        }
        // struct statx fields are in native byte order.
        return (*(uint*)(buffer + Statx.UidOffset), *(ushort*)(buffer + Statx.ModeOffset));
    }
}
