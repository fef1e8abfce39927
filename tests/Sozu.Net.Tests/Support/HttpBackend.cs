using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sozu.Net.Tests.Support;

/// <summary>
/// A small blocking HTTP/1.1 origin on 127.0.0.1 for tests: keep-alive, Content-Length and
/// chunked request bodies, "Expect: 100-continue", WebSocket-style upgrades (then echo).
/// Every request it received is recorded; the handler writes the response.
/// </summary>
internal sealed class HttpBackend : IDisposable
{
    private readonly TcpListener _listener;
    private readonly Action<HttpMessage, Stream> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<TcpClient> _clients = [];
    private int _connections;

    /// <param name="port">0 for a fresh port; a given port restarts an origin where a previous one listened.</param>
    public HttpBackend(Action<HttpMessage, Stream>? handler = null, int port = 0)
    {
        _handler = handler ?? Ok;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        new Thread(AcceptLoop) { IsBackground = true, Name = "http-backend" }.Start();
    }

    public string Address => $"127.0.0.1:{Port}";

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>A backend answering 200 with <paramref name="name"/> as its body, so a client sees who served it.</summary>
    public static HttpBackend Named(string name) => new((r, s) => Respond(s, 200, name));

    public ConcurrentQueue<HttpMessage> Requests { get; } = new();

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>200 with a body naming the method and target.</summary>
    public static void Ok(HttpMessage request, Stream stream) => Respond(stream, 200, $"{request.Method} {request.Target}");

    public static void Respond(Stream stream, int status, string body, string extraHeaders = "")
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var head = Encoding.ASCII.GetBytes($"HTTP/1.1 {status} X\r\nContent-Length: {bytes.Length}\r\n{extraHeaders}\r\n");
        // One write: a small answer is either sent whole or not at all when the origin is killed.
        var message = new byte[head.Length + bytes.Length];
        head.CopyTo(message, 0);
        bytes.CopyTo(message, head.Length);
        stream.Write(message);
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
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            Interlocked.Increment(ref _connections);
            _clients.Add(client);
            new Thread(() => Serve(client)) { IsBackground = true }.Start();
        }
    }

    private void Serve(TcpClient client)
    {
        using (client)
        {
            client.NoDelay = true;
            var stream = client.GetStream();
            var reader = new HttpReader(stream);
            try
            {
                while (true)
                {
                    var request = reader.ReadHead();
                    if (request is null)
                    {
                        return;
                    }
                    if (string.Equals(request.Header("Expect"), "100-continue", StringComparison.OrdinalIgnoreCase))
                    {
                        stream.Write("HTTP/1.1 100 Continue\r\n\r\n"u8);
                    }
                    if (request.HasToken("Transfer-Encoding", "chunked"))
                    {
                        request.WasChunked = true;
                        request.Body = ReadChunkedBody(reader);
                    }
                    else if (request.Header("Content-Length") is { } length)
                    {
                        request.Body = reader.ReadBytes(int.Parse(length));
                    }
                    Requests.Enqueue(request);
                    if (request.HasToken("Connection", "upgrade"))
                    {
                        stream.Write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"u8);
                        var buffer = new byte[4096];
                        while (true)
                        {
                            var echoed = reader.ReadBytes(1);
                            stream.Write(echoed);
                        }
                    }
                    _handler(request, stream);
                    if (request.HasToken("Connection", "close"))
                    {
                        return;
                    }
                }
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or FormatException or OverflowException)
            {
                // A peer that breaks the protocol (the garbage tests) or goes away: drop the connection.
            }
        }
    }

    private static byte[] ReadChunkedBody(HttpReader reader)
    {
        var body = new MemoryStream();
        while (true)
        {
            var line = reader.ReadLine() ?? throw new IOException("connection closed inside a chunked body");
            if (!int.TryParse(line.Split(';')[0], System.Globalization.NumberStyles.HexNumber, null, out var size) || size < 0)
            {
                throw new IOException($"bad chunk size line '{line}'");
            }
            if (size == 0)
            {
                while (reader.ReadLine() is { Length: > 0 })
                {
                }
                return body.ToArray();
            }
            body.Write(reader.ReadBytes(size));
            reader.ReadLine();
        }
    }

    /// <summary>Closes every connection the backend holds, as a restarted origin would.</summary>
    public void DropConnections()
    {
        while (_clients.TryTake(out var client))
        {
            client.Close();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        DropConnections();
        _stop.Dispose();
    }
}
