using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sozu.EndToEnd.Tests.Support;

/// <summary>
/// A backend that reads what a proxy in front of it says about the client, independently of
/// the product's code: an optional PROXY header (v1 line or v2 block, read by hand here), then
/// either HTTP/1.1 GETs answered with "header-source xff" or, in echo mode, bytes echoed back.
/// Each connection is recorded with the header's source ("none" without a header).
/// </summary>
internal sealed class ProxyAwareBackend : IDisposable
{
    private static readonly byte[] V2Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly bool _echo;
    private readonly CancellationTokenSource _stop = new();

    public ProxyAwareBackend(bool echo = false)
    {
        _echo = echo;
        _listener.Start();
        new Thread(AcceptLoop) { IsBackground = true, Name = "proxy-aware-backend" }.Start();
    }

    public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>The header source of each connection, in accept order.</summary>
    public ConcurrentQueue<string> Sources { get; } = new();

    private void AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var client = _listener.AcceptTcpClient();
                new Thread(() => Serve(client)) { IsBackground = true }.Start();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
        }
    }

    private void Serve(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        stream.ReadTimeout = 10_000;
        try
        {
            var first = ReadExactly(stream, 1);
            string source;
            var pending = new List<byte>();
            if (first[0] == 0x0D)
            {
                var fixedPart = ReadExactly(stream, 15);
                byte[] head = [first[0], .. fixedPart];
                if (!head.AsSpan(0, 12).SequenceEqual(V2Signature))
                {
                    Sources.Enqueue("bad signature");
                    return;
                }
                var block = ReadExactly(stream, BinaryPrimitives.ReadUInt16BigEndian(head.AsSpan(14, 2)));
                source = head[13] switch
                {
                    0x11 => $"{new IPAddress(block.AsSpan(0, 4))}:{BinaryPrimitives.ReadUInt16BigEndian(block.AsSpan(8, 2))}",
                    0x21 => $"[{new IPAddress(block.AsSpan(0, 16))}]:{BinaryPrimitives.ReadUInt16BigEndian(block.AsSpan(32, 2))}",
                    _ => $"v2 command {head[12]:x2} family {head[13]:x2}",
                };
            }
            else if (first[0] == 'P')
            {
                var line = new StringBuilder("P");
                while (!line.ToString().EndsWith("\r\n", StringComparison.Ordinal) && line.Length < 108)
                {
                    line.Append((char)ReadExactly(stream, 1)[0]);
                }
                var fields = line.ToString().TrimEnd().Split(' ');
                source = fields.Length == 6 ? $"{fields[2]}:{fields[4]} (v1)" : line.ToString();
            }
            else
            {
                source = "none";
                pending.Add(first[0]);
            }
            Sources.Enqueue(source);
            var buffer = new byte[4096];
            if (_echo)
            {
                stream.Write(pending.ToArray());
                int n;
                while ((n = stream.Read(buffer)) > 0)
                {
                    stream.Write(buffer, 0, n);
                }
                return;
            }
            while (true)
            {
                int end;
                while ((end = IndexOf(pending, "\r\n\r\n"u8)) < 0)
                {
                    var n = stream.Read(buffer);
                    if (n == 0)
                    {
                        return;
                    }
                    pending.AddRange(buffer.AsSpan(0, n));
                }
                var head = Encoding.ASCII.GetString([.. pending.GetRange(0, end)]);
                pending.RemoveRange(0, end + 4);
                var forwardedFor = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("x-forwarded-for:", StringComparison.OrdinalIgnoreCase))?.Split(':', 2)[1].Trim() ?? "-";
                var body = Encoding.ASCII.GetBytes($"{source} {forwardedFor}");
                stream.Write([.. Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\n\r\n"), .. body]);
            }
        }
        catch (IOException)
        {
        }
    }

    private static byte[] ReadExactly(NetworkStream stream, int count)
    {
        var bytes = new byte[count];
        stream.ReadExactly(bytes);
        return bytes;
    }

    private static int IndexOf(List<byte> bytes, ReadOnlySpan<byte> pattern)
    {
        for (var i = 0; i + pattern.Length <= bytes.Count; i++)
        {
            if (bytes.GetRange(i, pattern.Length).ToArray().AsSpan().SequenceEqual(pattern))
            {
                return i;
            }
        }
        return -1;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
