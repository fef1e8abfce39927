using System.Text;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Net.Tests.Support;
using Sozu.Net.Worker;
using Xunit;

namespace Sozu.Net.Tests.Http1.Proxying;

public class HttpProxyTests
{
    [Fact(Timeout = 20_000)]
    public async Task Get_RoutedHost_ReachesBackendWithForwardingHeaders()
    {
        // Off the test thread, so that the xunit Timeout bounds the blocking socket calls below.
        await Task.Yield();
        using var backend = new HttpBackend();
        // X-Forwarded-Port is the configured address's port: the listener is configured with its
        // real port, on a socket the test bound (port 0) and hands over.
        var (address, fd) = WorkerHarness.ListenOwnSocket();
        var requests = WorkerHarness.HttpProxy(address, "app", [backend.Address]).ToList();
        requests.Add(new ActivateListener(address, ListenerProtocol.Http, FromScm: true));
        using var harness = WorkerHarness.Start(new ProxyWorkerOptions { MaxBuffers = 64, BufferSize = 16384, InheritedListenerFds = new Dictionary<string, int> { [address] = fd } }, [.. requests]);
        using var client = HttpClientConnection.Open(address);

        var response = client.Get("app.test", "/hello?x=1");

        Assert.Equal(200, response.Status);
        Assert.Equal("GET /hello?x=1", response.BodyText);
        Assert.NotNull(response.Header("Sozu-Id"));
        Assert.True(backend.Requests.TryDequeue(out var seen));
        Assert.Equal("app.test", seen.Header("Host"));
        Assert.Equal("127.0.0.1", seen.Header("X-Forwarded-For"));
        Assert.Equal("http", seen.Header("X-Forwarded-Proto"));
        Assert.Equal(address.Split(':')[1], seen.Header("X-Forwarded-Port"));
        Assert.Equal(response.Header("Sozu-Id"), seen.Header("Sozu-Id"));
    }

    [Fact(Timeout = 20_000)]
    public async Task KeepAlive_ManyRequestsOnOneConnection_ReuseOneBackendConnection()
    {
        // Off the test thread, so that the xunit Timeout bounds the blocking socket calls below.
        await Task.Yield();
        using var backend = new HttpBackend();
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address]));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);

        for (var i = 0; i < 50; i++)
        {
            var response = client.Get("app.test", $"/r{i}");
            Assert.Equal($"GET /r{i}", response.BodyText);
        }
        Assert.Equal(1, backend.Connections);
        var metrics = await harness.Worker.QueryMetricsAsync();
        var cluster = Assert.Single(metrics.Clusters);
        Assert.Equal(50, cluster.Traffic.Requests);
        Assert.Equal(50, cluster.Traffic.Status2xx);
        Assert.True(cluster.Traffic.BytesIn > 50 * 30 && cluster.Traffic.BytesOut > 50 * 30);
        Assert.True(cluster.Backends[0].Traffic.BytesOut > cluster.Traffic.BytesIn, "forwarded heads carry the proxy's headers");
        Assert.Equal(1, cluster.Backends[0].IdleConnections);
    }

    [Fact(Timeout = 20_000)]
    public async Task Pipelining_ThreeRequestsInOneWrite_AnsweredInOrder()
    {
        // Off the test thread, so that the xunit Timeout bounds the blocking socket calls below.
        await Task.Yield();
        using var backend = new HttpBackend();
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address]));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);

        client.Send("GET /a HTTP/1.1\r\nHost: app.test\r\n\r\nGET /b HTTP/1.1\r\nHost: app.test\r\n\r\nGET /c HTTP/1.1\r\nHost: app.test\r\n\r\n");

        Assert.Equal("GET /a", client.Response().BodyText);
        Assert.Equal("GET /b", client.Response().BodyText);
        Assert.Equal("GET /c", client.Response().BodyText);
    }

    [Fact(Timeout = 20_000)]
    public async Task ChunkedBodies_BothWays_ArriveDecodedIdentical()
    {
        // Off the test thread, so that the xunit Timeout bounds the blocking socket calls below.
        await Task.Yield();
        using var backend = new HttpBackend((request, stream) =>
        {
            stream.Write(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"));
            foreach (var part in new[] { "echo:", request.BodyText, "!" })
            {
                var bytes = Encoding.UTF8.GetBytes(part);
                stream.Write(Encoding.ASCII.GetBytes($"{bytes.Length:x}\r\n"));
                stream.Write(bytes);
                stream.Write("\r\n"u8);
            }
            stream.Write("0\r\n\r\n"u8);
        });
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address]));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);

        client.Send("POST /up HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
        var response = client.Response();

        Assert.True(response.WasChunked);
        Assert.Equal("echo:hello world!", response.BodyText);
        Assert.True(backend.Requests.TryDequeue(out var seen));
        Assert.True(seen.WasChunked);
        // The connection stays usable after a chunked exchange.
        Assert.Equal(200, client.Get("app.test", "/after").Status);
    }

    [Fact(Timeout = 20_000)]
    public async Task ExpectContinue_InterimAnswerForwarded_ThenFinalResponse()
    {
        // Off the test thread, so that the xunit Timeout bounds the blocking socket calls below.
        await Task.Yield();
        using var backend = new HttpBackend((request, stream) => HttpBackend.Respond(stream, 200, $"got {request.Body.Length}"));
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address]));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);

        client.Send("POST /up HTTP/1.1\r\nHost: app.test\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
        var interim = client.Response();
        Assert.Equal(100, interim.Status);
        client.Send("abcde");
        var final = client.Response();

        Assert.Equal(200, final.Status);
        Assert.Equal("got 5", final.BodyText);
    }

    [Fact(Timeout = 20_000)]
    public async Task Head_And204_And304_HaveNoBody_AndTheConnectionGoesOn()
    {
        // Off the test thread, so that the xunit Timeout bounds the blocking socket calls below.
        await Task.Yield();
        using var backend = new HttpBackend((request, stream) =>
        {
            switch (request.Target)
            {
                case "/head":
                    stream.Write("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n"u8);
                    break;
                case "/204":
                    stream.Write("HTTP/1.1 204 No Content\r\n\r\n"u8);
                    break;
                default:
                    stream.Write("HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n"u8);
                    break;
            }
        });
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address]));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);

        client.Send("HEAD /head HTTP/1.1\r\nHost: app.test\r\n\r\n");
        var head = client.Response(toHead: true);
        Assert.Equal(200, head.Status);
        Assert.Equal("1234", head.Header("Content-Length"));
        Assert.Equal(204, client.Get("app.test", "/204").Status);
        Assert.Equal(304, client.Get("app.test", "/304").Status);
        Assert.Equal(304, client.Get("app.test", "/304").Status);
    }

    [Fact(Timeout = 60_000)]
    public async Task TenMegabytes_UploadAndDownload_StreamWithBoundedBuffers()
    {
        const int size = 10 << 20;
        var payload = new byte[size];
        new Random(7).NextBytes(payload);
        using var backend = new HttpBackend((request, stream) =>
        {
            if (request.Method == "POST")
            {
                HttpBackend.Respond(stream, 200, $"{request.Body.Length}:{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(request.Body))}");
            }
            else
            {
                stream.Write(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {size}\r\n\r\n"));
                stream.Write(payload);
            }
        });
        using var harness = WorkerHarness.Start(new() { MaxBuffers = 8, BufferSize = 16384 }, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address], timeoutSeconds: 5, backTimeoutSeconds: 5));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);

        client.Send($"POST /up HTTP/1.1\r\nHost: app.test\r\nContent-Length: {size}\r\n\r\n");
        client.Send(payload);
        var upload = client.Response();
        Assert.Equal($"{size}:{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(payload))}", upload.BodyText);

        var download = client.Get("app.test", "/down");
        Assert.Equal(size, download.Body.Length);
        Assert.True(payload.AsSpan().SequenceEqual(download.Body));

        var metrics = await harness.Worker.QueryMetricsAsync();
        Assert.True(metrics.BuffersCreated <= 8, $"{metrics.BuffersCreated} buffers");
    }

    [Fact(Timeout = 20_000)]
    public async Task WebSocketUpgrade_Then_BytesEchoThroughThePipe()
    {
        // Off the test thread, so that the xunit Timeout bounds the blocking socket calls below.
        await Task.Yield();
        using var backend = new HttpBackend();
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address], timeoutSeconds: 5));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);

        client.Send("GET /ws HTTP/1.1\r\nHost: app.test\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
        var switching = client.Reader.ReadHead();
        Assert.Equal(101, switching!.Status);
        Assert.Equal("websocket", switching.Header("Upgrade"));

        client.Send("ping-frame");
        Assert.Equal("ping-frame", Encoding.ASCII.GetString(client.Reader.ReadBytes(10)));
        client.Send("second");
        Assert.Equal("second", Encoding.ASCII.GetString(client.Reader.ReadBytes(6)));
    }

    [Fact(Timeout = 20_000)]
    public async Task WebSocketUpgrade_BytesSentBeforeThe101_AreDeliveredAfterIt()
    {
        await Task.Yield();
        using var backend = new HttpBackend();
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address], timeoutSeconds: 5));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);

        client.Send("GET /ws HTTP/1.1\r\nHost: app.test\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\nearly");
        Assert.Equal(101, client.Reader.ReadHead()!.Status);
        Assert.Equal("early", Encoding.ASCII.GetString(client.Reader.ReadBytes(5)));
    }

    [Fact(Timeout = 20_000)]
    public async Task Routes_AddedAndRemovedWhileConnectionsAreOpen_TakeEffectOnTheNextRequest()
    {
        using var first = new HttpBackend((r, s) => HttpBackend.Respond(s, 200, "first"));
        using var second = new HttpBackend((r, s) => HttpBackend.Respond(s, 200, "second"));
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [first.Address], timeoutSeconds: 5));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);
        Assert.Equal(404, HttpClientConnection.Open(address).Get("other.test", "/").Status);

        Assert.Equal("first", client.Get("app.test", "/").BodyText);
        await harness.ApplyOk(new AddCluster(new Cluster { ClusterId = "other" }));
        await harness.ApplyOk(new AddBackend(new Backend { ClusterId = "other", BackendId = "o", Address = second.Address }));
        await harness.ApplyOk(new AddHttpFrontend(new HttpFrontend { ClusterId = "other", Address = WorkerHarness.AnyPort, Hostname = "other.test" }));

        Assert.Equal("second", client.Get("other.test", "/").BodyText);
        Assert.Equal("first", client.Get("app.test", "/").BodyText);

        await harness.ApplyOk(new RemoveHttpFrontend(new HttpFrontend { ClusterId = "other", Address = WorkerHarness.AnyPort, Hostname = "other.test" }));
        Assert.Equal(404, client.Get("other.test", "/").Status);
    }
}
