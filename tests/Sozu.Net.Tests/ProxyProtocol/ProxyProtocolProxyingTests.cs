using System.Net;
using System.Text;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Net.ProxyProtocol;
using Sozu.Net.Sockets;
using Sozu.Net.Tests.Support;
using Sozu.Net.Tests.Tls;
using Sozu.Net.Worker;
using Xunit;

namespace Sozu.Net.Tests.ProxyProtocol;

/// <summary>expect_proxy and send_proxy through a real worker on 127.0.0.1: the header's address is the client's everywhere.</summary>
public class ProxyProtocolProxyingTests
{
    /// <summary>A v1 line written by hand (not by the product's writer), to the same family's destination.</summary>
    private static byte[] V1(string source)
    {
        var s = IPEndPoint.Parse(source);
        var v4 = s.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
        var d = IPEndPoint.Parse(v4 ? "198.51.100.1:80" : "[2001:db8::1]:80");
        var family = v4 ? "TCP4" : "TCP6";
        return Encoding.ASCII.GetBytes($"PROXY {family} {s.Address} {d.Address} {s.Port} {d.Port}\r\n");
    }

    private static byte[] V2(string source, string destination = "198.51.100.1:80")
    {
        var buffer = new byte[ProxyHeaderWriter.V2MaxLength];
        var length = ProxyHeaderWriter.WriteV2(buffer, NativeAddress.From(IPEndPoint.Parse(source)), NativeAddress.From(IPEndPoint.Parse(destination)));
        return buffer[..length];
    }

    private static ConfigRequest[] ExpectingHttp(string address, string backend, int maxPerIp = 0, ProxyProtocolConfig? proxyProtocol = null)
    {
        var requests = WorkerHarness.HttpProxy(address, "app", [backend], timeoutSeconds: 2, backTimeoutSeconds: 5);
        requests[0] = new AddHttpListener(((AddHttpListener)requests[0]).Listener with { ExpectProxy = true });
        requests[1] = new AddCluster(new Cluster { ClusterId = "app", MaxConnectionsPerIp = maxPerIp, ProxyProtocol = proxyProtocol });
        return requests;
    }

    /// <summary>The client socket's address as the proxy sees it (TcpClient is dual-stack: its own view is IPv4-mapped).</summary>
    private static IPEndPoint LocalEndPoint(HttpClientConnection client)
    {
        var local = (IPEndPoint)client.Socket.LocalEndPoint!;
        return new IPEndPoint(local.Address.MapToIPv4(), local.Port);
    }

    private static HttpBackend ForwardedForBackend() =>
        new((request, stream) => HttpBackend.Respond(stream, 200, $"{request.Header("X-Forwarded-For")}|{request.Header("Forwarded")}"));

    [Theory(Timeout = 30_000)]
    [InlineData(1, "203.0.113.7:40000")]
    [InlineData(2, "203.0.113.7:40000")]
    [InlineData(1, "[2001:db8::7]:40000")]
    [InlineData(2, "[2001:db8::7]:40000")]
    public async Task HttpListener_ExpectingAHeader_ForwardsItsSourceAsTheClient(int version, string source)
    {
        using var backend = ForwardedForBackend();
        using var harness = WorkerHarness.Start(null, ExpectingHttp(WorkerHarness.AnyPort, backend.Address));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);
        client.Send(version == 1 ? V1(source) : V2(source));
        var response = client.Get("app.test", "/");
        Assert.Equal(200, response.Status);
        var ip = IPEndPoint.Parse(source).Address.ToString();
        var parts = response.BodyText.Split('|');
        Assert.Equal(ip, parts[0]);
        Assert.Contains($"for=", parts[1], StringComparison.Ordinal);
        Assert.Contains(ip, parts[1], StringComparison.Ordinal);
        // Keep-alive: the second request of the connection has the same client.
        Assert.Equal(ip, client.Get("app.test", "/").BodyText.Split('|')[0]);
        var listener = (await harness.Worker.QueryMetricsAsync()).Listeners.Single();
        Assert.Equal(1, listener.ProxyProtocol!.Headers);
        Assert.Equal(0, listener.ProxyProtocol.Failures);
    }

    [Fact(Timeout = 30_000)]
    public async Task HttpListener_HeaderArrivingByteByByte_IsWaitedFor_AndTheRequestInTheSameSegmentIsKept()
    {
        await Task.Yield();
        using var backend = ForwardedForBackend();
        using var harness = WorkerHarness.Start(null, ExpectingHttp(WorkerHarness.AnyPort, backend.Address));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);
        var header = V1("192.0.2.55:1234");
        foreach (var b in header[..^1])
        {
            client.Send([b]);
            Thread.Sleep(2);
        }
        // The header's last byte and the whole request in one write: the request must not be lost.
        client.Send([header[^1], .. Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: app.test\r\n\r\n")]);
        var response = client.Response();
        Assert.Equal(200, response.Status);
        Assert.Equal("192.0.2.55", response.BodyText.Split('|')[0]);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("GET / HTTP/1.1\r\nHost: app.test\r\n\r\n")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1 99999\r\nGET / HTTP/1.1\r\nHost: app.test\r\n\r\n")]
    [InlineData("PROXY TCP6 1.2.3.4 5.6.7.8 1 2\r\nGET / HTTP/1.1\r\nHost: app.test\r\n\r\n")]
    [InlineData("\r\n\r\n\0\r\nQUIT\n\x0031\x0011\0\x000cGET / HTTP/1.1\r\n")]
    public async Task HttpListener_WithoutAValidHeader_ClosesTheConnection_AndCountsIt(string input)
    {
        using var backend = ForwardedForBackend();
        using var harness = WorkerHarness.Start(null, ExpectingHttp(WorkerHarness.AnyPort, backend.Address));
        var address = harness.BoundAddress();
        using (var client = HttpClientConnection.Open(address))
        {
            client.Send(Encoding.Latin1.GetBytes(input));
            Assert.True(client.ClosedWithin(TimeSpan.FromSeconds(3)));
        }
        Assert.Empty(backend.Requests);
        var listener = (await harness.Worker.QueryMetricsAsync()).Listeners.Single();
        Assert.Equal(1, listener.ProxyProtocol!.Failures);
        Assert.Equal(0, listener.ProxyProtocol.Headers);
        // The listener still serves a client that sends one.
        using var good = HttpClientConnection.Open(address);
        good.Send(V2("192.0.2.1:5"));
        Assert.Equal(200, good.Get("app.test", "/").Status);
    }

    [Fact(Timeout = 30_000)]
    public async Task HttpListener_IncompleteHeader_IsClosedAtTheHeaderTimeout()
    {
        using var backend = ForwardedForBackend();
        using var harness = WorkerHarness.Start(null, ExpectingHttp(WorkerHarness.AnyPort, backend.Address));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);
        client.Send("PROXY TCP4 1.2.3.4 ");
        // request_timeout is 2 s here.
        Assert.True(client.ClosedWithin(TimeSpan.FromSeconds(6)));
        var listener = (await harness.Worker.QueryMetricsAsync()).Listeners.Single();
        Assert.Equal(1, listener.ProxyProtocol!.Timeouts);
    }

    [Fact(Timeout = 30_000)]
    public async Task HttpListener_LocalCommandAndUnknown_KeepTheSocketAddress()
    {
        await Task.Yield();
        using var backend = ForwardedForBackend();
        using var harness = WorkerHarness.Start(null, ExpectingHttp(WorkerHarness.AnyPort, backend.Address));
        var address = harness.BoundAddress();
        byte[] local = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x20, 0x00, 0x00, 0x00];
        foreach (var header in new[] { local, "PROXY UNKNOWN\r\n"u8.ToArray() })
        {
            using var client = HttpClientConnection.Open(address);
            client.Send(header);
            Assert.Equal("127.0.0.1", client.Get("app.test", "/").BodyText.Split('|')[0]);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task AccessLog_ShowsTheHeadersClient_ForHttpAndTcp()
    {
        await Task.Yield();
        using var backend = ForwardedForBackend();
        using var echo = new EchoBackend();
        // Two listeners on port 0 need two keys: the TCP one binds the IPv6 loopback.
        const string tcpListen = "[::1]:0";
        var requests = new List<ConfigRequest>(ExpectingHttp(WorkerHarness.AnyPort, backend.Address));
        var tcpRequests = WorkerHarness.TcpProxy(tcpListen, "db", echo.Address);
        tcpRequests[0] = new AddTcpListener(((AddTcpListener)tcpRequests[0]).Listener with { ExpectProxy = true });
        requests.AddRange(tcpRequests);
        var log = new ClientLog();
        var worker = ProxyWorker.Create(new ProxyWorkerOptions(), requests);
        worker.AccessLog = log;
        worker.ActivateAllListeners();
        worker.StartThread();
        using (worker)
        {
            var http = $"127.0.0.1:{await worker.ListenerPortAsync(WorkerHarness.AnyPort)}";
            var tcp = $"[::1]:{await worker.ListenerPortAsync(tcpListen)}";
            using (var client = HttpClientConnection.Open(http))
            {
                client.Send(V2("[2001:db8::abc]:5555"));
                Assert.Equal(200, client.Get("app.test", "/").Status);
            }
            using (var client = HttpClientConnection.Open(tcp))
            {
                client.Send([.. V1("192.0.2.200:6666"), .. "x"u8.ToArray()]);
                Assert.Equal("x", Encoding.ASCII.GetString(client.Reader.ReadBytes(1)));
            }
            var deadline = Environment.TickCount64 + 5_000;
            while (log.Clients.Count < 2 && Environment.TickCount64 < deadline)
            {
                await Task.Delay(20);
            }
        }
        Assert.Equal(["Http [2001:db8::abc]:5555", "Tcp 192.0.2.200:6666"], log.Clients.OrderBy(c => c, StringComparer.Ordinal));
    }

    private sealed class ClientLog : Sozu.Net.Metrics.IAccessLog
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Clients { get; } = new();

        public bool Enabled => true;

        public void Log(in Sozu.Net.Metrics.AccessLogEntry entry) => Clients.Enqueue($"{entry.Protocol} {entry.Client}");
    }

    [Fact(Timeout = 30_000)]
    public async Task PerIpLimit_IsKeyedOnTheHeadersAddress()
    {
        await Task.Yield();
        using var backend = ForwardedForBackend();
        using var harness = WorkerHarness.Start(null, ExpectingHttp(WorkerHarness.AnyPort, backend.Address, maxPerIp: 1));
        var address = harness.BoundAddress();
        // Three sockets from 127.0.0.1; two of them claim the same client.
        using var first = HttpClientConnection.Open(address);
        first.Send(V1("203.0.113.1:1000"));
        Assert.Equal(200, first.Get("app.test", "/").Status);
        using var sameClient = HttpClientConnection.Open(address);
        sameClient.Send(V1("203.0.113.1:1001"));
        Assert.Equal(429, sameClient.Get("app.test", "/").Status);
        using var otherClient = HttpClientConnection.Open(address);
        otherClient.Send(V2("203.0.113.2:1002"));
        Assert.Equal(200, otherClient.Get("app.test", "/").Status);
    }

    [Fact(Timeout = 30_000)]
    public async Task HttpsListener_TheHeaderPrecedesTheClientHello()
    {
        await Task.Yield();
        using var https = HttpsHarness.Start(
            configure: l => l with { ExpectProxy = true },
            handler: (request, stream) => HttpBackend.Respond(stream, 200, request.Header("X-Forwarded-For") ?? "-"),
            certificates: [TestCertificate.Rsa("a.test").ForProxy()]);
        using var client = TlsClient.Connect(https.Address, "a.test", preamble: V2("[2001:db8::42]:443"));
        var response = client.Get("a.test", "/");
        Assert.Equal(200, response.Status);
        Assert.Equal("2001:db8::42", response.BodyText);
        // Without the header, the ClientHello itself is refused as a header.
        Assert.ThrowsAny<Exception>(() => TlsClient.Connect(https.Address, "a.test"));
    }

    [Fact(Timeout = 30_000)]
    public async Task HttpCluster_SendProxy_EveryBackendConnectionCarriesItsOwnClient_NeverReusedForAnother()
    {
        await Task.Yield();
        using var backend = new ProxyHeaderBackend();
        using var harness = WorkerHarness.Start(null, ExpectingHttp(WorkerHarness.AnyPort, backend.Address, proxyProtocol: ProxyProtocolConfig.RelayHeader));
        var address = harness.BoundAddress();
        // Client A, then client B after A's exchange ended (a pooled connection would be free for B).
        foreach (var (source, requests) in new[] { ("203.0.113.10:1", 3), ("203.0.113.20:2", 2), ("[2001:db8::30]:3", 1) })
        {
            using var client = HttpClientConnection.Open(address);
            client.Send(V2(source));
            var ip = IPEndPoint.Parse(source).Address.ToString();
            for (var i = 0; i < requests; i++)
            {
                var response = client.Get("app.test", "/");
                Assert.Equal(200, response.Status);
                // The header on the backend connection that served this request, and the X-Forwarded-For in it.
                Assert.Equal($"{IPEndPoint.Parse(source)} {ip}", response.BodyText);
            }
        }
        // One private connection per client session, reused for that session's requests only.
        var connections = backend.WaitForConnections(3);
        Assert.Equal(3, connections.Length);
        Assert.All(connections, c => Assert.Equal(2, c.Version));
        Assert.Equal([3, 2, 1], connections.Select(c => c.Requests.Count));
        var metrics = await harness.Worker.QueryMetricsAsync();
        Assert.Equal(0, metrics.Clusters.Single().Backends.Single().IdleConnections);
    }

    [Fact(Timeout = 30_000)]
    public async Task HttpCluster_SendProxy_AClientsOwnConnectionFollowsItAcrossBackendsAndClosesWithIt()
    {
        await Task.Yield();
        using var first = new ProxyHeaderBackend();
        using var second = new ProxyHeaderBackend();
        var requests = new List<ConfigRequest>(ExpectingHttp(WorkerHarness.AnyPort, first.Address, proxyProtocol: ProxyProtocolConfig.RelayHeader))
        {
            new AddBackend(new Backend { ClusterId = "app", BackendId = "app-1", Address = second.Address }),
        };
        using var harness = WorkerHarness.Start(null, [.. requests]);
        var address = harness.BoundAddress();
        using (var client = HttpClientConnection.Open(address))
        {
            client.Send(V1("203.0.113.99:9"));
            for (var i = 0; i < 4; i++)
            {
                Assert.Equal("203.0.113.99:9 203.0.113.99", client.Get("app.test", "/").BodyText);
            }
        }
        // Round robin would alternate; the session kept its one connection (HAProxy's private connections).
        Assert.Equal(1, first.Connections.Count + second.Connections.Count);
        var deadline = Environment.TickCount64 + 5_000;
        while ((await harness.Worker.QueryMetricsAsync()).BackendConnectionsOpen != 0 && Environment.TickCount64 < deadline)
        {
            await Task.Delay(20);
        }
        Assert.Equal(0, (await harness.Worker.QueryMetricsAsync()).BackendConnectionsOpen);
    }

    [Fact(Timeout = 30_000)]
    public async Task HttpCluster_SendProxyBehindAPlainListener_SendsTheSocketsClient()
    {
        await Task.Yield();
        using var backend = new ProxyHeaderBackend();
        var requests = WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address], timeoutSeconds: 2, backTimeoutSeconds: 5);
        requests[1] = new AddCluster(new Cluster { ClusterId = "app", ProxyProtocol = ProxyProtocolConfig.SendHeader });
        using var harness = WorkerHarness.Start(null, requests);
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);
        Assert.Equal($"{LocalEndPoint(client)} 127.0.0.1", client.Get("app.test", "/").BodyText);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TcpCluster_SendProxy_TheHeaderComesBeforeAnyByte(bool expect)
    {
        await Task.Yield();
        using var backend = new ProxyHeaderBackend(raw: true);
        var requests = WorkerHarness.TcpProxy(WorkerHarness.AnyPort, "db", backend.Address);
        requests[0] = new AddTcpListener(((AddTcpListener)requests[0]).Listener with { ExpectProxy = expect });
        requests[1] = new AddCluster(new Cluster { ClusterId = "db", ProxyProtocol = expect ? ProxyProtocolConfig.RelayHeader : ProxyProtocolConfig.SendHeader });
        using var harness = WorkerHarness.Start(null, requests);
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);
        var expected = expect ? "192.0.2.9:4242" : LocalEndPoint(client).ToString();
        if (expect)
        {
            client.Send(V1("192.0.2.9:4242"));
        }
        client.Send("hello");
        Assert.Equal("hello", Encoding.ASCII.GetString(client.Reader.ReadBytes(5)));
        var connection = Assert.Single(backend.WaitForConnections(1));
        Assert.Equal(expected, connection.Source);
        lock (connection.Payload)
        {
            Assert.Equal("hello", Encoding.ASCII.GetString(connection.Payload.ToArray()));
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task TcpListener_ExpectingAHeaderWithoutSending_StripsIt()
    {
        await Task.Yield();
        using var backend = new EchoBackend();
        var requests = WorkerHarness.TcpProxy(WorkerHarness.AnyPort, "db", backend.Address);
        requests[0] = new AddTcpListener(((AddTcpListener)requests[0]).Listener with { ExpectProxy = true });
        using var harness = WorkerHarness.Start(null, requests);
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);
        client.Send([.. V2("192.0.2.9:4242"), .. "ping"u8.ToArray()]);
        Assert.Equal("ping", Encoding.ASCII.GetString(client.Reader.ReadBytes(4)));
        using var bad = HttpClientConnection.Open(address);
        bad.Send("ping");
        Assert.True(bad.ClosedWithin(TimeSpan.FromSeconds(3)));
    }
}
