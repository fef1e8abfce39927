using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sozu.EndToEnd.Tests.Support;

/// <summary>
/// A raw TCP client from a chosen loopback address (any of 127.0.0.0/8 on Linux), so a test can
/// tell the client's address from the one of a proxy in between. Writes bytes as given (a PROXY
/// header, then HTTP) and reads Content-Length answers.
/// </summary>
public sealed class LoopbackClient : IDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly List<byte> _pending = [];

    public LoopbackClient(int port, string from = "127.0.0.1")
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket.Bind(new IPEndPoint(IPAddress.Parse(from), 0));
        _socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
        _stream = new NetworkStream(_socket, ownsSocket: true) { ReadTimeout = 10_000, WriteTimeout = 10_000 };
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public void Send(byte[] bytes) => _stream.Write(bytes);

    public void Send(string ascii) => Send(Encoding.ASCII.GetBytes(ascii));

    public (int Status, string Body) Get(string host, string path = "/")
    {
        Send($"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n");
        return ReadResponse();
    }

    /// <summary>Reads one response with a Content-Length body; throws if the connection closes first.</summary>
    public (int Status, string Body) ReadResponse()
    {
        int headEnd;
        while ((headEnd = IndexOf(_pending, "\r\n\r\n"u8)) < 0)
        {
            Fill();
        }
        var head = Encoding.ASCII.GetString([.. _pending.GetRange(0, headEnd)]);
        var status = int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var length = 0;
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("content-length:", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(line["content-length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        while (_pending.Count < headEnd + 4 + length)
        {
            Fill();
        }
        var body = Encoding.UTF8.GetString([.. _pending.GetRange(headEnd + 4, length)]);
        _pending.RemoveRange(0, headEnd + 4 + length);
        return (status, body);
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes.</summary>
    public byte[] Read(int count)
    {
        while (_pending.Count < count)
        {
            Fill();
        }
        var bytes = _pending.GetRange(0, count).ToArray();
        _pending.RemoveRange(0, count);
        return bytes;
    }

    /// <summary>True when the peer closed (or reset) the connection within <paramref name="time"/> without sending anything.</summary>
    public bool ClosedWithoutAnswer(TimeSpan time)
    {
        _stream.ReadTimeout = (int)time.TotalMilliseconds;
        try
        {
            var buffer = new byte[256];
            return _stream.Read(buffer) == 0;
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            return true;
        }
    }

    private void Fill()
    {
        var buffer = new byte[4096];
        var n = _stream.Read(buffer);
        if (n == 0)
        {
            throw new IOException("connection closed before the whole answer");
        }
        _pending.AddRange(buffer.AsSpan(0, n));
    }

    private static int IndexOf(List<byte> bytes, ReadOnlySpan<byte> pattern)
    {
        for (var i = 0; i + pattern.Length <= bytes.Count; i++)
        {
            var match = true;
            for (var j = 0; j < pattern.Length && match; j++)
            {
                match = bytes[i + j] == pattern[j];
            }
            if (match)
            {
                return i;
            }
        }
        return -1;
    }

    public void Dispose() => _stream.Dispose();
}
