using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sozu.Net.Tests.Support;

/// <summary>A raw client connection: write bytes exactly as given, read responses with <see cref="HttpReader"/>.</summary>
internal sealed class HttpClientConnection : IDisposable
{
    private readonly TcpClient _client;

    private HttpClientConnection(TcpClient client)
    {
        _client = client;
        Stream = client.GetStream();
        Stream.ReadTimeout = 10_000;
        Stream.WriteTimeout = 10_000;
        Reader = new HttpReader(Stream);
    }

    public NetworkStream Stream { get; }

    public HttpReader Reader { get; }

    public Socket Socket => _client.Client;

    public static HttpClientConnection Open(string address)
    {
        var endpoint = IPEndPoint.Parse(address);
        var client = new TcpClient(endpoint.AddressFamily) { NoDelay = true };
        client.Connect(endpoint);
        return new HttpClientConnection(client);
    }

    public void Send(string raw) => Stream.Write(Encoding.ASCII.GetBytes(raw));

    public void Send(byte[] raw) => Stream.Write(raw);

    public HttpMessage Response(bool toHead = false) =>
        Reader.Read(isResponse: true, responseToHead: toHead) ?? throw new IOException("connection closed before a response");

    public HttpMessage Get(string host, string path, string extraHeaders = "")
    {
        Send($"GET {path} HTTP/1.1\r\nHost: {host}\r\n{extraHeaders}\r\n");
        return Response();
    }

    /// <summary>True when the proxy closed the connection (read returns 0 or a reset) within the time.</summary>
    public bool ClosedWithin(TimeSpan time)
    {
        Stream.ReadTimeout = (int)time.TotalMilliseconds;
        try
        {
            var buffer = new byte[1024];
            while (true)
            {
                if (Stream.Read(buffer) == 0)
                {
                    return true;
                }
            }
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.TimedOut })
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public void Dispose() => _client.Dispose();
}
