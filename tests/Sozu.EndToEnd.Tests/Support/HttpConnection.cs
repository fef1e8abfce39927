using System.Net.Sockets;
using System.Text;

namespace Sozu.EndToEnd.Tests.Support;

/// <summary>One keep-alive HTTP/1.1 client connection; reads Content-Length answers only.</summary>
public sealed class HttpConnection : IDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;

    public HttpConnection(int port)
    {
        _client = new TcpClient();
        _client.Connect("127.0.0.1", port);
        _stream = _client.GetStream();
        _stream.ReadTimeout = 10_000;
        _reader = new StreamReader(_stream, Encoding.ASCII);
    }

    /// <summary>The client side's port: the proxy's socket for this connection has it as its remote port.</summary>
    public int LocalPort => ((System.Net.IPEndPoint)_client.Client.LocalEndPoint!).Port;

    public async Task<(int Status, string Body)> GetAsync(string host, string path = "/")
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n"), timeout.Token);
        var statusLine = await _reader.ReadLineAsync(timeout.Token) ?? throw new IOException("connection closed by the proxy");
        var status = int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var length = 0;
        for (var i = 0; i < 100; i++)
        {
            var header = await _reader.ReadLineAsync(timeout.Token);
            if (string.IsNullOrEmpty(header))
            {
                break;
            }
            if (header.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(header["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        var body = new char[length];
        var read = 0;
        while (read < length)
        {
            var n = await _reader.ReadAsync(body.AsMemory(read), timeout.Token);
            if (n == 0)
            {
                throw new IOException("connection closed mid-body");
            }
            read += n;
        }
        return (status, new string(body));
    }

    public static async Task<(int Status, string Body)> GetOnceAsync(int port, string host, string path = "/")
    {
        using var connection = new HttpConnection(port);
        return await connection.GetAsync(host, path);
    }

    public void Dispose()
    {
        _reader.Dispose();
        _client.Dispose();
    }
}
