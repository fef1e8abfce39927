using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Sozu.EndToEnd.Tests.Support;

/// <summary>
/// A keep-alive client that sends requests byte for byte and reads Content-Length responses
/// exactly (never past their end), counting every byte received.
/// </summary>
public sealed class RawHttpConnection : IDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;

    public RawHttpConnection(int port)
    {
        _client = new TcpClient { NoDelay = true };
        _client.Connect("127.0.0.1", port);
        _stream = _client.GetStream();
    }

    public long BytesReceived { get; private set; }

    /// <summary>Sends <paramref name="request"/>, reads one response, returns its status.</summary>
    public async Task<int> ExchangeAsync(byte[] request)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _stream.WriteAsync(request, timeout.Token);
        var head = new List<byte>(256);
        var one = new byte[1];
        // Byte by byte up to the blank line: nothing of a next response is read ahead.
        while (head.Count < 65536 && !EndsWithBlankLine(head))
        {
            if (await _stream.ReadAsync(one, timeout.Token) == 0)
            {
                throw new IOException("connection closed inside a response head");
            }
            head.Add(one[0]);
        }
        var text = Encoding.ASCII.GetString([.. head]);
        var length = 0;
        foreach (var line in text.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(line["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
            }
        }
        var body = new byte[length];
        await _stream.ReadExactlyAsync(body, timeout.Token);
        BytesReceived += head.Count + length;
        return int.Parse(text.Split(' ')[1], CultureInfo.InvariantCulture);
    }

    private static bool EndsWithBlankLine(List<byte> bytes) =>
        bytes.Count >= 4 && bytes[^1] == '\n' && bytes[^2] == '\r' && bytes[^3] == '\n' && bytes[^4] == '\r';

    public void Dispose() => _client.Dispose();
}
