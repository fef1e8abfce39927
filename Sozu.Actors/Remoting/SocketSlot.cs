using System.Net.Sockets;

namespace Sozu.Actors.Remoting;

/// <summary>
/// A listening socket at a slot's path, owned by this process alone. Two guards keep a
/// second process from stealing a slot: an exclusive lock on "&lt;path&gt;.lock" (flock, held
/// until this slot is disposed or the process dies), and a probe connect before an existing
/// socket file is deleted as stale.
/// </summary>
internal sealed class SocketSlot : IDisposable
{
    private readonly FileStream _lock;
    private int _disposed;

    private SocketSlot(string path, FileStream lockFile, Socket listener)
    {
        Path = path;
        _lock = lockFile;
        Listener = listener;
    }

    public string Path { get; }

    public Socket Listener { get; }

    public static SocketSlot Claim(string path, int backlog)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The actor transport uses Unix-domain sockets and Linux file permissions.");
        }
        var lockFile = TakeLock(path);
        Socket? listener = null;
        try
        {
            RemoveStaleSocket(path);
            listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            listener.Listen(backlog);
            return new SocketSlot(path, lockFile, listener);
        }
        catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException)
        {
            listener?.Dispose();
            lockFile.Dispose();
            throw new IOException($"Cannot listen on the actor socket '{path}': {e.Message}", e);
        }
        catch
        {
            listener?.Dispose();
            lockFile.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        Listener.Dispose();
        // The socket file goes before the lock is released, so the next owner finds no stale file.
        // The lock file stays: deleting it would let two processes lock two different inodes.
        File.Delete(Path);
        _lock.Dispose();
    }

    private static FileStream TakeLock(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The actor transport uses Unix-domain sockets and Linux file permissions.");
        }
        var lockPath = SocketDirectory.LockPath(path);
        try
        {
            // On Unix, FileShare.None takes flock(LOCK_EX | LOCK_NB) for the stream's lifetime.
            return new FileStream(lockPath, new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = FileAccess.ReadWrite,
                Share = FileShare.None,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }
        catch (IOException e)
        {
            throw new IOException($"The actor socket slot '{path}' is in use by another process or actor system (lock '{lockPath}' is held).", e);
        }
    }

    private static void RemoveStaleSocket(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }
        using (var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            try
            {
                probe.Connect(new UnixDomainSocketEndPoint(path));
                throw new IOException($"The actor socket '{path}' is live: another process is listening on this slot.");
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
                // Nobody listens: the file was left behind by a process that died.
            }
        }
        File.Delete(path);
    }
}
