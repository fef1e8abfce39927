using System.Text;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Net.Tests.Support;
using Xunit;

namespace Sozu.Net.Tests.Http1.Proxying;

/// <summary>
/// Issue 11, items 3 and 5 through a real worker: what a backend that records every byte it
/// receives gets (nothing of a refused request, no h2c), and what a client gets from a
/// backend that breaks HTTP (502, the backend connection closed, a counter).
/// </summary>
public class FramingProxyTests
{
    private const string ChunkedHead = "POST /upload HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\n\r\n";
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    public static TheoryData<string, int> RefusedRequests => new()
    {
        { ChunkedHead + "000000000000000000000000000000000f0\r\n" + new string('a', 0xf0) + "\r\n0\r\n\r\n", 400 },
        { ChunkedHead + "2;\r\nab\r\n0\r\n\r\n", 400 },
        { ChunkedHead + "2 \r\nab\r\n0\r\n\r\n", 400 },
        { "POST /upload HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: ,chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n", 400 },
        { "POST /upload HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked,\r\n\r\n2\r\nab\r\n0\r\n\r\n", 400 },
        { "POST /upload HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked, chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n", 400 },
        { "POST /upload HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: gzip, chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n", 501 },
    };

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(RefusedRequests))]
    public async Task RefusedRequest_IsAnsweredByTheProxy_AndNoByteReachesTheBackend(string request, int status)
    {
        using var backend = RawBackend.Answering(Ok, "0\r\n\r\n");
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address]));
        var address = harness.BoundAddress();
        await Task.Yield();
        using var client = HttpClientConnection.Open(address);

        client.Send(Encoding.Latin1.GetBytes(request));

        Assert.Equal(status, client.Response().Status);
        Assert.True(client.ClosedWithin(Bound));
        Assert.Equal(0, backend.Connections);
        Assert.Equal("", backend.ReceivedText);
    }

    [Fact(Timeout = 30_000)]
    public async Task BadChunkAfterGoodOnes_IsAnswered400_AndTheBackendGetsOnlyTheGoodChunks_ThenAClose()
    {
        using var backend = RawBackend.Answering(Ok, "0\r\n\r\n");
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address], timeoutSeconds: 5, backTimeoutSeconds: 5));
        var address = harness.BoundAddress();
        await Task.Yield();
        using var client = HttpClientConnection.Open(address);

        client.Send(ChunkedHead + "5\r\nhello\r\n");
        await Until(() => backend.ReceivedText.EndsWith("5\r\nhello\r\n", StringComparison.Ordinal));
        client.Send("000000000000000000000000000000000f0\r\n" + new string('a', 0xf0) + "\r\n0\r\n\r\n");

        Assert.Equal(400, client.Response().Status);
        Assert.True(backend.ClosedByProxy(0, Bound));
        var received = backend.ReceivedText;
        Assert.StartsWith("POST /upload HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\nX-Forwarded-For: ", received, StringComparison.Ordinal);
        Assert.EndsWith("Connection: keep-alive\r\n\r\n5\r\nhello\r\n", received, StringComparison.Ordinal);
        Assert.Equal(1, backend.Connections);
    }

    private const string H2cUpgrade =
        "GET /plain HTTP/1.1\r\nHost: app.test\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\nAccept: */*\r\n\r\n";

    private static void AssertForwardedAsAPlainRequest(string received, string proto)
    {
        Assert.StartsWith("GET /plain HTTP/1.1\r\nHost: app.test\r\nAccept: */*\r\nX-Forwarded-For: ", received, StringComparison.Ordinal);
        Assert.Contains("X-Forwarded-Proto: " + proto + "\r\n", received, StringComparison.Ordinal);
        Assert.DoesNotContain("h2c", received, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("HTTP2-Settings", received, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Upgrade", received, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("Connection: keep-alive\r\n\r\n", received, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task H2cUpgradeOverHttp_ReachesTheBackendAsAPlainRequest()
    {
        using var backend = RawBackend.Answering(Ok);
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address]));
        var address = harness.BoundAddress();
        await Task.Yield();
        using var client = HttpClientConnection.Open(address);

        client.Send(H2cUpgrade);

        var response = client.Response();
        Assert.Equal(200, response.Status);
        Assert.Equal("ok", response.BodyText);
        AssertForwardedAsAPlainRequest(backend.ReceivedText, "http");
    }

    [Fact(Timeout = 30_000)]
    public async Task H2cUpgradeOverHttps_ReachesTheBackendAsAPlainRequest()
    {
        var certificate = TestCertificate.Ecdsa("a.test");
        using var backend = RawBackend.Answering(Ok);
        using var harness = WorkerHarness.Start(
            null,
            new AddHttpsListener(new HttpsListenerConfig { Address = WorkerHarness.AnyPort, FrontTimeout = 5, BackTimeout = 5, ConnectTimeout = 2, RequestTimeout = 5 }),
            new AddCluster(new Cluster { ClusterId = "app" }),
            new AddHttpsFrontend(new HttpFrontend { ClusterId = "app", Address = WorkerHarness.AnyPort, Hostname = "app.test" }),
            new AddBackend(new Backend { ClusterId = "app", BackendId = "app-0", Address = backend.Address }),
            new AddCertificate(WorkerHarness.AnyPort, certificate.ForProxy()));
        var address = harness.BoundAddress();
        await Task.Yield();
        using var client = TlsClient.Connect(address, "a.test");

        client.Send(H2cUpgrade);

        Assert.Equal(200, client.Response().Status);
        AssertForwardedAsAPlainRequest(backend.ReceivedText, "https");
    }

    [Fact(Timeout = 30_000)]
    public async Task WebSocketUpgradeAlsoOfferingH2c_StillSwitches_WithoutH2c()
    {
        using var backend = RawBackend.Answering("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\nhi");
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address]));
        var address = harness.BoundAddress();
        await Task.Yield();
        using var client = HttpClientConnection.Open(address);

        client.Send("GET /ws HTTP/1.1\r\nHost: app.test\r\nConnection: Upgrade\r\nUpgrade: websocket, h2c\r\nSec-WebSocket-Key: k\r\n\r\n");

        Assert.Equal(101, client.Response(toHead: true).Status);
        Assert.Equal("hi", Encoding.ASCII.GetString(client.Reader.ReadBytes(2)));
        var received = backend.ReceivedText;
        Assert.Contains("\r\nUpgrade: websocket\r\n", received, StringComparison.Ordinal);
        Assert.DoesNotContain("h2c", received, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("Connection: Upgrade\r\n\r\n", received, StringComparison.Ordinal);
    }

    public static TheoryData<string> MalformedResponses => new()
    {
        "HTTP/1.1 200OK\r\nContent-Length: 5\r\n\r\nhello",
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-Nul: a\0b\r\nContent-Length: 5\r\n\r\nhello",
        "HTTP/1.1 200 OK\r\nX-Cr: a\rb\r\nContent-Length: 5\r\n\r\nhello",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: ,chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n000000000000000000000000000000000f0\r\n" + new string('a', 0xf0) + "\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2;\r\nab\r\n0\r\n\r\n",
    };

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(MalformedResponses))]
    public async Task MalformedResponse_Is502_TheBackendConnectionIsClosed_AndCounted(string response)
    {
        using var backend = RawBackend.Answering(response);
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address], timeoutSeconds: 5, backTimeoutSeconds: 5));
        var address = harness.BoundAddress();
        await Task.Yield();
        using var client = HttpClientConnection.Open(address);

        client.Send("GET / HTTP/1.1\r\nHost: app.test\r\n\r\n");

        Assert.Equal(502, client.Response().Status);
        Assert.True(backend.ClosedByProxy(0, Bound), "the backend connection was kept");
        var metrics = await harness.Worker.QueryMetricsAsync();
        Assert.Equal(1, metrics.Global.MalformedResponses);
        Assert.Equal(1, metrics.Clusters.Single().Backends.Single().Traffic.MalformedResponses);
        Assert.Equal(1, metrics.Clusters.Single().Traffic.MalformedResponses);
        Assert.Equal(0, metrics.BackendConnectionsIdle);
    }

    [Fact(Timeout = 30_000)]
    public async Task BadChunkAfterTheResponseHeadReachedTheClient_ClosesBoth_NeverForwardsIt()
    {
        using var headSeen = new ManualResetEventSlim();
        using var backend = new RawBackend((received, stream) =>
        {
            if (!received.AsSpan().EndsWith("\r\n\r\n"u8))
            {
                return false;
            }
            stream.Write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"u8);
            // The bad chunk once the client holds the head: too late for a 502.
            headSeen.Wait(Bound);
            stream.Write("2;\r\nab\r\n0\r\n\r\n"u8);
            return true;
        });
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address], timeoutSeconds: 5, backTimeoutSeconds: 5));
        var address = harness.BoundAddress();
        await Task.Yield();
        using var client = HttpClientConnection.Open(address);

        client.Send("GET / HTTP/1.1\r\nHost: app.test\r\n\r\n");
        Assert.Equal(200, client.Response(toHead: true).Status);
        headSeen.Set();

        var rest = client.Reader.ReadToEnd();
        Assert.Equal("5\r\nhello\r\n", Encoding.ASCII.GetString(rest));
        Assert.True(backend.ClosedByProxy(0, Bound));
        Assert.Equal(1, (await harness.Worker.QueryMetricsAsync()).Global.MalformedResponses);
    }

    private static async Task Until(Func<bool> condition)
    {
        for (var i = 0; i < 250 && !condition(); i++)
        {
            await Task.Delay(20);
        }
        Assert.True(condition());
    }
}
