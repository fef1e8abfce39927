using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace Sozu.Net.Tests.Support;

/// <summary>An SslStream client on 127.0.0.1 that accepts whatever certificate it is shown; tests check which one.</summary>
internal sealed class TlsClient : IDisposable
{
    private readonly TcpClient _tcp;

    private TlsClient(TcpClient tcp, SslStream stream)
    {
        _tcp = tcp;
        Stream = stream;
        Reader = new HttpReader(stream);
    }

    public SslStream Stream { get; }

    public HttpReader Reader { get; }

    /// <summary>DER of the certificate the proxy presented.</summary>
    public byte[] ServerCertificate => Stream.RemoteCertificate!.GetRawCertData();

    /// <param name="preamble">Bytes sent in clear before the ClientHello (a PROXY header), or null.</param>
    public static TlsClient Connect(string address, string? serverName, SslProtocols protocols = SslProtocols.None, string[]? alpn = null, bool allowResume = false, int receiveBuffer = 0, byte[]? preamble = null)
    {
        var parts = address.Split(':');
        var tcp = new TcpClient { NoDelay = true };
        if (receiveBuffer > 0)
        {
            // A small window keeps the proxy's side of the socket full: partial sends on every write.
            tcp.ReceiveBufferSize = receiveBuffer;
        }
        tcp.Connect(parts[0], int.Parse(parts[1]));
        tcp.ReceiveTimeout = 10_000;
        tcp.SendTimeout = 10_000;
        if (preamble is not null)
        {
            tcp.GetStream().Write(preamble);
        }
        // Self-signed test certificates: the tests compare the presented certificate byte for byte instead.
        var stream = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, certificate, _, _) => certificate is not null);
        var options = new SslClientAuthenticationOptions
        {
            // SslStream sends no SNI when TargetHost is empty or an IP literal.
            TargetHost = serverName ?? "",
            EnabledSslProtocols = protocols,
            ApplicationProtocols = alpn?.Select(p => new SslApplicationProtocol(p)).ToList(),
            // SslStream resumes sessions per host; a resumed session shows the first session's certificate.
            AllowTlsResume = allowResume,
            CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
        };
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            stream.AuthenticateAsClientAsync(options, timeout.Token).GetAwaiter().GetResult();
        }
        catch
        {
            stream.Dispose();
            tcp.Dispose();
            throw;
        }
        stream.ReadTimeout = 10_000;
        stream.WriteTimeout = 10_000;
        return new TlsClient(tcp, stream);
    }

    public void Send(string raw)
    {
        Stream.Write(Encoding.ASCII.GetBytes(raw));
        Stream.Flush();
    }

    public HttpMessage Response(bool toHead = false) =>
        Reader.Read(isResponse: true, responseToHead: toHead) ?? throw new IOException("connection closed before a response");

    public HttpMessage Get(string host, string path, string extraHeaders = "")
    {
        Send($"GET {path} HTTP/1.1\r\nHost: {host}\r\n{extraHeaders}\r\n");
        return Response();
    }

    public void Dispose()
    {
        Stream.Dispose();
        _tcp.Dispose();
    }
}
