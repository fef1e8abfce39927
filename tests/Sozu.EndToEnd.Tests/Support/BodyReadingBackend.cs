using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sozu.EndToEnd.Tests.Support;

/// <summary>
/// An HTTP/1.1 backend on 127.0.0.1 (port 0) that behaves like an application: it reads a
/// request's Content-Length body before answering (so a slow upload keeps the exchange open),
/// answers GET /big with <see cref="BigLength"/> bytes (what a slow reader drains) and anything
/// else with "ok", keep-alive.
/// </summary>
internal sealed class BodyReadingBackend : IDisposable
{
    public const int BigLength = 1 << 20;

    private static readonly byte[] Ok = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    private static readonly byte[] Big = [.. Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {BigLength}\r\n\r\n"), .. new byte[BigLength]];

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();

    public BodyReadingBackend()
    {
        _listener.Start(4096);
        _ = AcceptLoop();
    }

    public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    private async Task AcceptLoop()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = Serve(client);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task Serve(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var buffer = new byte[16384];
            var filled = 0;
            long bodyLeft = 0;
            var pending = Ok;
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var read = await stream.ReadAsync(buffer.AsMemory(filled), _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }
                    filled += read;
                    while (true)
                    {
                        if (bodyLeft > 0)
                        {
                            var take = (int)Math.Min(bodyLeft, filled);
                            bodyLeft -= take;
                            buffer.AsSpan(take, filled - take).CopyTo(buffer);
                            filled -= take;
                            if (bodyLeft > 0)
                            {
                                break;
                            }
                            await stream.WriteAsync(pending, _stop.Token);
                            continue;
                        }
                        var end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
                        if (end < 0)
                        {
                            break;
                        }
                        var head = Encoding.ASCII.GetString(buffer, 0, end);
                        var consumed = end + 4;
                        buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                        filled -= consumed;
                        pending = head.Contains(" /big ", StringComparison.Ordinal) ? Big : Ok;
                        bodyLeft = ContentLength(head);
                        if (bodyLeft == 0)
                        {
                            await stream.WriteAsync(pending, _stop.Token);
                        }
                    }
                    if (filled == buffer.Length)
                    {
                        return;
                    }
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }
    }

    private static long ContentLength(string head)
    {
        foreach (var line in head.Split("\r\n"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals("content-length", StringComparison.OrdinalIgnoreCase)
                && long.TryParse(line.AsSpan(colon + 1).Trim(), out var length))
            {
                return length;
            }
        }
        return 0;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
