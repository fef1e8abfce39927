using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sozu.Net.Tests.Support;

/// <summary>
/// A backend that parses nothing: it records every byte each connection brings, exactly as
/// received, and answers with whatever its script writes. For tests of what the proxy forwards
/// (never a malformed chunk) and of what it does with a backend that breaks HTTP.
/// </summary>
internal sealed class RawBackend : IDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<byte[], Stream, bool> _answer;
    private readonly List<Connection> _connections = [];
    private volatile bool _stopped;

    /// <param name="answer">Called with everything the connection received so far after each read; writes an answer and returns true once it has answered (it is not called again for that connection).</param>
    public RawBackend(Func<byte[], Stream, bool> answer)
    {
        _answer = answer;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        new Thread(AcceptLoop) { IsBackground = true, Name = "raw-backend" }.Start();
    }

    public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public int Connections
    {
        get
        {
            lock (_connections)
            {
                return _connections.Count;
            }
        }
    }

    /// <summary>Everything received on every connection, in connection order, as Latin-1 text.</summary>
    public string ReceivedText
    {
        get
        {
            var text = new StringBuilder();
            lock (_connections)
            {
                foreach (var connection in _connections)
                {
                    text.Append(Encoding.Latin1.GetString(connection.Snapshot()));
                }
            }
            return text.ToString();
        }
    }

    /// <summary>Answers <paramref name="raw"/> (Latin-1) once the request bytes end with <paramref name="requestEnd"/>.</summary>
    public static RawBackend Answering(string raw, string requestEnd = "\r\n\r\n")
    {
        var answer = Encoding.Latin1.GetBytes(raw);
        var end = Encoding.Latin1.GetBytes(requestEnd);
        return new RawBackend((received, stream) =>
        {
            if (!received.AsSpan().EndsWith(end))
            {
                return false;
            }
            stream.Write(answer);
            return true;
        });
    }

    /// <summary>True once the proxy closed connection <paramref name="index"/> (end of stream or reset) within the time.</summary>
    public bool ClosedByProxy(int index, TimeSpan within)
    {
        Connection connection;
        lock (_connections)
        {
            if (index >= _connections.Count)
            {
                return false;
            }
            connection = _connections[index];
        }
        return connection.Closed.Wait(within);
    }

    private void AcceptLoop()
    {
        while (!_stopped)
        {
            TcpClient client;
            try
            {
                client = _listener.AcceptTcpClient();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            var connection = new Connection(client);
            lock (_connections)
            {
                _connections.Add(connection);
            }
            new Thread(() => Serve(connection)) { IsBackground = true }.Start();
        }
    }

    private void Serve(Connection connection)
    {
        using var client = connection.Client;
        client.NoDelay = true;
        var stream = client.GetStream();
        var buffer = new byte[16384];
        var answered = false;
        try
        {
            while (true)
            {
                var read = stream.Read(buffer);
                if (read == 0)
                {
                    break;
                }
                connection.Append(buffer.AsSpan(0, read));
                if (!answered)
                {
                    answered = _answer(connection.Snapshot(), stream);
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // A reset from the proxy is a close too.
        }
        connection.Closed.Set();
    }

    public void Dispose()
    {
        _stopped = true;
        _listener.Stop();
        lock (_connections)
        {
            foreach (var connection in _connections)
            {
                connection.Client.Dispose();
            }
        }
    }

    private sealed class Connection(TcpClient client)
    {
        private readonly MemoryStream _received = new();

        public TcpClient Client { get; } = client;

        public ManualResetEventSlim Closed { get; } = new();

        public void Append(ReadOnlySpan<byte> bytes)
        {
            lock (_received)
            {
                _received.Write(bytes);
            }
        }

        public byte[] Snapshot()
        {
            lock (_received)
            {
                return _received.ToArray();
            }
        }
    }
}
