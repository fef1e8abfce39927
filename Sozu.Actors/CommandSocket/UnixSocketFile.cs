using System.Net.Sockets;

namespace Sozu.Actors.CommandSocket;

/// <summary>A listening Unix stream socket whose file only its owner may open (0600, as Sōzu does) unless told otherwise.</summary>
internal static class UnixSocketFile
{
    private const int Backlog = 128;

    public static Socket Listen(string path, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The command socket is a Unix-domain socket protected by Linux file permissions.");
        }
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath);
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        RemoveStale(fullPath);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(fullPath));
            // Between bind and listen nobody can connect, so the file is never reachable with a wider mode.
            File.SetUnixFileMode(fullPath, mode);
            socket.Listen(Backlog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static void Remove(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>A socket file left by a dead supervisor is removed; one a live supervisor answers on is not.</summary>
    private static void RemoveStale(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException)
        {
            File.Delete(path);
            return;
        }
        throw new IOException($"{path}: another supervisor is already listening on this command socket");
    }
}
