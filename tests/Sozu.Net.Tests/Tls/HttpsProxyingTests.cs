using System.Text;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Net.Tests.Support;
using Xunit;

namespace Sozu.Net.Tests.Tls;

/// <summary>HTTP/1.1 and WebSocket over TLS to plain backends, HSTS, and the redirect from HTTP.</summary>
public class HttpsProxyingTests
{
    private static readonly TestCertificate Certificate = TestCertificate.Ecdsa("a.test");

    [Fact(Timeout = 30_000)]
    public async Task KeepAliveRequests_OverOneTlsConnection_ReachAPlainBackend_MarkedHttps()
    {
        using var https = HttpsHarness.Start(certificates: [Certificate.ForProxy()]);
        await Task.Yield();
        using var client = TlsClient.Connect(https.Address, "a.test");
        for (var i = 0; i < 50; i++)
        {
            var response = client.Get("a.test", $"/r{i}");
            Assert.Equal(200, response.Status);
            Assert.Equal($"GET /r{i}", response.BodyText);
        }
        Assert.Equal(50, https.Backend.Requests.Count);
        Assert.All(https.Backend.Requests, r => Assert.Equal("https", r.Header("X-Forwarded-Proto")));
        Assert.Equal(1, (await https.Counters())!.Handshakes);
    }

    [Fact(Timeout = 30_000)]
    public async Task PipelinedRequests_InOneTlsRecord_AreAllAnswered()
    {
        using var https = HttpsHarness.Start(certificates: [Certificate.ForProxy()]);
        await Task.Yield();
        using var client = TlsClient.Connect(https.Address, "a.test");
        client.Send("GET /1 HTTP/1.1\r\nHost: a.test\r\n\r\nGET /2 HTTP/1.1\r\nHost: a.test\r\n\r\nGET /3 HTTP/1.1\r\nHost: a.test\r\n\r\n");
        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal($"GET /{i}", client.Response().BodyText);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task LargeBodies_BothWays_ArriveWhole_EvenToASlowReaderThatAsksToClose()
    {
        var download = new byte[6 * 1024 * 1024];
        new Random(4).NextBytes(download);
        using var https = HttpsHarness.Start(
            handler: (request, stream) =>
            {
                var length = request.Body.Length;
                var body = request.Method == "POST" ? Encoding.ASCII.GetBytes($"got {length} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(request.Body))}") : download;
                stream.Write(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\n\r\n"));
                stream.Write(body);
            },
            certificates: [Certificate.ForProxy()]);
        await Task.Yield();
        using var client = TlsClient.Connect(https.Address, "a.test", receiveBuffer: 4096);

        var upload = new byte[3 * 1024 * 1024 + 17];
        new Random(5).NextBytes(upload);
        client.Send($"POST /up HTTP/1.1\r\nHost: a.test\r\nContent-Length: {upload.Length}\r\n\r\n");
        client.Stream.Write(upload);
        Assert.Equal($"got {upload.Length} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(upload))}", client.Response().BodyText);

        // Connection: close makes the proxy close right after the last byte: the tail of the
        // encrypted response must not be lost while the reader is slow and the socket full.
        client.Send("GET /down HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n");
        Thread.Sleep(500);
        var reader = new HttpReader(new SlowStream(client.Stream));
        var response = reader.Read(isResponse: true)!;
        Assert.Equal(download.Length, response.Body.Length);
        Assert.True(download.AsSpan().SequenceEqual(response.Body));
        Assert.Equal(0, client.Stream.Read(new byte[1]));
    }

    /// <summary>Reads at most 1 KiB per call, so the proxy's sends keep hitting a full socket.</summary>
    private sealed class SlowStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, 1024));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact(Timeout = 60_000)]
    public async Task ClosingAfterTheLastRecord_ThroughATinySocketBuffer_LosesNoEncryptedTail()
    {
        // An 8 KiB send buffer takes part of every 16 KiB record: each response ends with
        // ciphertext still queued when the stage is done, and Connection: close follows.
        var body = new byte[200 * 1024 + 123];
        new Random(6).NextBytes(body);
        using var https = HttpsHarness.Start(
            handler: (_, stream) =>
            {
                stream.Write(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\n\r\n"));
                stream.Write(body);
            },
            sendBuffer: 4096,
            certificates: [Certificate.ForProxy()]);
        await Task.Yield();
        for (var i = 0; i < 5; i++)
        {
            using var client = TlsClient.Connect(https.Address, "a.test", receiveBuffer: 4096);
            client.Send("GET /down HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n");
            Thread.Sleep(100);
            var response = new HttpReader(new SlowStream(client.Stream)).Read(isResponse: true)!;
            Assert.True(body.AsSpan().SequenceEqual(response.Body), $"attempt {i}: {response.Body.Length} of {body.Length} bytes");
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task WebSocketUpgrade_OverTls_PipesBytesBothWays()
    {
        using var https = HttpsHarness.Start(certificates: [Certificate.ForProxy()]);
        await Task.Yield();
        using var client = TlsClient.Connect(https.Address, "a.test");
        client.Send("GET /ws HTTP/1.1\r\nHost: a.test\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
        Assert.Equal(101, client.Reader.ReadHead()!.Status);
        for (var i = 0; i < 5; i++)
        {
            var message = $"frame {i}";
            client.Send(message);
            Assert.Equal(message, Encoding.ASCII.GetString(client.Reader.ReadBytes(message.Length)));
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Hsts_FromTheListener_IsAddedToHttpsResponses_AndAFrontendPolicyOverridesIt()
    {
        var listenerHsts = new HstsConfig { MaxAge = 600, IncludeSubdomains = true };
        using (var https = HttpsHarness.Start(c => c with { Hsts = listenerHsts }, certificates: [Certificate.ForProxy()]))
        {
            await Task.Yield();
            using var client = TlsClient.Connect(https.Address, "a.test");
            Assert.Equal("max-age=600; includeSubDomains", client.Get("a.test", "/").Header("Strict-Transport-Security"));
        }
        using (var https = HttpsHarness.Start(c => c with { Hsts = listenerHsts }, frontendHsts: new HstsConfig { Enabled = false }, certificates: [Certificate.ForProxy()]))
        {
            await Task.Yield();
            using var client = TlsClient.Connect(https.Address, "a.test");
            Assert.Null(client.Get("a.test", "/").Header("Strict-Transport-Security"));
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task HttpsRedirect_OnAnHttpFrontend_Answers301ToHttps_AndNeverForwards()
    {
        using var backend = new HttpBackend();
        using var worker = WorkerHarness.Start(null,
            new AddHttpListener(new HttpListenerConfig { Address = WorkerHarness.AnyPort, FrontTimeout = 5 }),
            new AddCluster(new Cluster { ClusterId = "app", HttpsRedirect = true }),
            new AddHttpFrontend(new HttpFrontend { ClusterId = "app", Address = WorkerHarness.AnyPort, Hostname = "app.test", Hsts = new HstsConfig() }),
            new AddBackend(new Backend { ClusterId = "app", BackendId = "app-0", Address = backend.Address }));
        var address = worker.BoundAddress();
        await Task.Yield();
        using var client = HttpClientConnection.Open(address);
        var response = client.Get("app.test", "/path?q=1");
        Assert.Equal(301, response.Status);
        Assert.Equal("https://app.test/path?q=1", response.Header("Location"));
        // HSTS belongs to HTTPS responses only.
        Assert.Null(response.Header("Strict-Transport-Security"));
        Assert.Empty(backend.Requests);
    }
}
