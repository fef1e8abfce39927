using System.Net.Sockets;
using System.Text;

namespace Sozu.Net.Listeners;

/// <summary>
/// The supervisor's end of <see cref="SharedListenSocket.Fetch"/>: a Unix-domain socket (in the
/// private socket directory) that hands out the shared listening socket of an address with
/// SCM_RIGHTS, opening it on first demand and giving the same one to every worker after. It
/// also holds the sockets inherited by workers at start, so both ways share one per address.
/// One request per connection, served on a background thread; Dispose closes everything.
/// </summary>
public sealed class SharedListenSocketServer : IDisposable
{
    private readonly Dictionary<string, int> _sockets = new(StringComparer.Ordinal);
    private readonly Socket _listener;
    private readonly string _path;
    private bool _disposed;

    private SharedListenSocketServer(string path, Socket listener)
    {
        _path = path;
        _listener = listener;
    }

    /// <summary>Serves on <paramref name="path"/>, replacing a stale socket file (the caller owns the directory).</summary>
    public static SharedListenSocketServer Start(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(16);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        var server = new SharedListenSocketServer(path, listener);
        new Thread(server.Serve) { IsBackground = true, Name = "shared-listeners" }.Start();
        return server;
    }

    /// <summary>The shared socket of <paramref name="address"/>, opened now if it is not yet: its fd in this process, or -1 with a reason.</summary>
    public int GetOrOpen(string address, out string error)
    {
        lock (_sockets)
        {
            if (_sockets.TryGetValue(address, out var existing))
            {
                error = "";
                return existing;
            }
            var fd = SharedListenSocket.Open(address, out error);
            if (fd >= 0)
            {
                _sockets[address] = fd;
            }
            return fd;
        }
    }

    /// <summary>
    /// Takes <paramref name="fd"/>, a listening socket of <paramref name="address"/> inherited from
    /// the supervisor this one replaces (upgrade_main): served and given to workers like one opened here.
    /// False (and the fd left alone) when the address already has one.
    /// </summary>
    public bool Adopt(string address, int fd)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fd);
        lock (_sockets)
        {
            return _sockets.TryAdd(address, fd);
        }
    }

    /// <summary>Every shared socket now held: address → fd in this process (handed to a successor on upgrade_main).</summary>
    public IReadOnlyList<KeyValuePair<string, int>> Snapshot()
    {
        lock (_sockets)
        {
            return [.. _sockets];
        }
    }

    private void Serve()
    {
        var request = new byte[SharedListenSocket.MaxRequest];
        while (true)
        {
            Socket connection;
            try
            {
                connection = _listener.Accept();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return; // disposed
            }
            using (connection)
            {
                try
                {
                    connection.ReceiveTimeout = 2000;
                    connection.SendTimeout = 2000;
                    var length = connection.Receive(request);
                    var address = Encoding.UTF8.GetString(request, 0, length);
                    var fd = GetOrOpen(address, out var error);
                    SharedListenSocket.Reply(connection, fd, error);
                }
                catch (SocketException)
                {
                    // That worker went away mid-request; it binds its own socket instead.
                }
            }
        }
    }

    public void Dispose()
    {
        lock (_sockets)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            foreach (var fd in _sockets.Values)
            {
                SharedListenSocket.Close(fd);
            }
            _sockets.Clear();
        }
        _listener.Dispose();
        try
        {
            File.Delete(_path);
        }
        catch (IOException)
        {
        }
    }
}
