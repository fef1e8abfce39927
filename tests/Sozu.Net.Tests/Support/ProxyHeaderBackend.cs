using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Sozu.Net.ProxyProtocol;

namespace Sozu.Net.Tests.Support;

/// <summary>
/// A backend behind send_proxy: each connection must start with a PROXY header (parsed with the
/// product's parser, byte by byte, so nothing after it is read early); then it serves HTTP/1.1
/// keep-alive GETs (answering with the header's source and the request's X-Forwarded-For) or, in
/// raw mode, records the connection's remaining bytes. A connection without a header is recorded
/// as such and closed.
/// </summary>
internal sealed class ProxyHeaderBackend : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly bool _raw;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<TcpClient> _clients = [];

    public ProxyHeaderBackend(bool raw = false)
    {
        _raw = raw;
        _listener.Start();
        new Thread(AcceptLoop) { IsBackground = true, Name = "proxy-header-backend" }.Start();
    }

    public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>One entry per connection, in accept order: the header's source ("-" when it had none, "invalid" when refused) and what came after.</summary>
    public ConcurrentQueue<Connection> Connections { get; } = new();

    internal sealed class Connection
    {
        public required string Source { get; init; }

        public required int Version { get; init; }

        public ConcurrentQueue<string> Requests { get; } = new();

        public MemoryStream Payload { get; } = new();
    }

    /// <summary>Waits until <paramref name="count"/> connections were seen (10 s at most).</summary>
    public Connection[] WaitForConnections(int count)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (Connections.Count < count && Environment.TickCount64 < deadline)
        {
            Thread.Sleep(10);
        }
        return [.. Connections];
    }

    private void AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = _listener.AcceptTcpClient();
            }
            catch (SocketException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            _clients.Add(client);
            new Thread(() => Serve(client)) { IsBackground = true }.Start();
        }
    }

    private void Serve(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        stream.ReadTimeout = 10_000;
        try
        {
            var header = new List<byte>();
            ProxyParseResult result;
            do
            {
                var b = stream.ReadByte();
                if (b < 0)
                {
                    return;
                }
                header.Add((byte)b);
                result = ProxyHeaderParser.Parse(header.ToArray());
            }
            while (result.Status == ProxyParseStatus.NeedMore);
            if (result.Status == ProxyParseStatus.Invalid)
            {
                Connections.Enqueue(new Connection { Source = "invalid", Version = 0 });
                return;
            }
            var connection = new Connection
            {
                Source = result.Header.HasAddresses ? result.Header.Source.ToEndPoint().ToString() : "-",
                Version = result.Header.Version,
            };
            Connections.Enqueue(connection);
            if (_raw)
            {
                var buffer = new byte[4096];
                int n;
                while ((n = stream.Read(buffer)) > 0)
                {
                    lock (connection.Payload)
                    {
                        connection.Payload.Write(buffer, 0, n);
                    }
                    stream.Write(buffer, 0, n);
                }
                return;
            }
            var reader = new HttpReader(stream);
            while (reader.Read(isResponse: false) is { } request)
            {
                var forwardedFor = request.Header("X-Forwarded-For") ?? "-";
                connection.Requests.Enqueue(forwardedFor);
                HttpBackend.Respond(stream, 200, $"{connection.Source} {forwardedFor}");
            }
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
            // Dispose closed the client under this thread's read (the test ended): an unhandled
            // exception here would take the whole test host down.
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }
}
