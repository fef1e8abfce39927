using System.Net.Sockets;
using Sozu.Net.Tests.Support;
using Sozu.Net.Worker;
using Xunit;

namespace Sozu.Net.Tests.Worker;

/// <summary>max_connections and the buffer pool refuse at once past their limit, and serve again once below it.</summary>
public class LimitsTests
{
    [Fact]
    public void TlsHandshakeTimeout_DefaultsToTenSeconds_AndMustBePositive()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), new ProxyWorkerOptions().TlsHandshakeTimeout);
        Assert.Empty(new ProxyWorkerOptions().Validate());
        var problems = new ProxyWorkerOptions { TlsHandshakeTimeout = TimeSpan.Zero }.Validate();
        Assert.Contains(problems, p => p.Contains("TLS handshake timeout", StringComparison.Ordinal));
    }

    [Fact(Timeout = 30_000)]
    public async Task MaxConnections_ExtraConnectionGets503AtOnce_ThenServedAfterOthersClose()
    {
        await Task.Yield();
        using var backend = new HttpBackend();
        using var harness = WorkerHarness.Start(new ProxyWorkerOptions { MaxConnections = 2, MaxBuffers = 16, BufferSize = 16384 },
            WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address], timeoutSeconds: 10));
        var address = harness.BoundAddress();
        var first = HttpClientConnection.Open(address);
        var second = HttpClientConnection.Open(address);
        Assert.Equal(200, first.Get("app.test", "/").Status);
        Assert.Equal(200, second.Get("app.test", "/").Status);

        using (var third = HttpClientConnection.Open(address))
        {
            // "At once": answered while the two others still hold their slots, well before any of
            // the 10 s timeouts could free one (a generous wait, not a speed bound).
            var refused = await Task.Run(() => third.Response()).WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(503, refused.Status);
            Assert.True(third.ClosedWithin(TimeSpan.FromSeconds(2)));
        }

        first.Dispose();
        second.Dispose();
        await WaitFor(async () => (await harness.Worker.QueryMetricsAsync()).Sessions == 0);
        using var fourth = HttpClientConnection.Open(address);
        Assert.Equal(200, fourth.Get("app.test", "/").Status);
        var metrics = await harness.Worker.QueryMetricsAsync();
        Assert.Equal(1, metrics.Listeners[0].Traffic.ConnectionsRefused);
    }

    [Fact(Timeout = 30_000)]
    public async Task TcpMaxConnections_ExtraConnectionIsClosedAtOnce()
    {
        using var backend = new EchoBackend();
        using var harness = WorkerHarness.Start(new ProxyWorkerOptions { MaxConnections = 1, MaxBuffers = 16, BufferSize = 16384 },
            WorkerHarness.TcpProxy(WorkerHarness.AnyPort, "echo", backend.Address));
        var address = harness.BoundAddress();
        using var first = HttpClientConnection.Open(address);
        first.Send("x");
        Assert.Equal((byte)'x', first.Reader.ReadBytes(1)[0]);

        using var second = HttpClientConnection.Open(address);
        Assert.True(second.ClosedWithin(TimeSpan.FromSeconds(2)));
    }

    [Fact(Timeout = 30_000)]
    public async Task BufferPoolExhausted_RequestGets503_ThenServedOnceBuffersReturn()
    {
        await Task.Yield();
        const int big = 32 << 20;
        using var backend = new HttpBackend((request, stream) =>
        {
            if (request.Target == "/big")
            {
                stream.Write(System.Text.Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {big}\r\n\r\n"));
                stream.Write(new byte[big]);
            }
            else
            {
                HttpBackend.Ok(request, stream);
            }
        });
        using var harness = WorkerHarness.Start(new ProxyWorkerOptions { MaxConnections = 100, MaxBuffers = 2, BufferSize = 16384 },
            WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address], timeoutSeconds: 10, backTimeoutSeconds: 10));
        var address = harness.BoundAddress();
        // A client that does not read: the download fills the kernel buffers, then holds one of ours.
        // (No tiny SO_RCVBUF here: below the loopback MSS it makes TCP itself crawl once reading resumes.)
        using var staller = HttpClientConnection.Open(address);
        staller.Send("GET /big HTTP/1.1\r\nHost: app.test\r\n\r\n");
        // 32 MiB is far more than the kernel buffers hold: after a moment the proxy holds the rest.
        await Task.Delay(1000);
        await WaitFor(async () => (await harness.Worker.QueryMetricsAsync()).BuffersInUse >= 1);

        using (var refused = HttpClientConnection.Open(address))
        {
            Assert.Equal(503, refused.Get("app.test", "/").Status);
        }

        Assert.Equal(200, staller.Reader.ReadHead()!.Status);
        Assert.Equal(big, staller.Reader.ReadBytes(big).Length);
        await WaitFor(async () => (await harness.Worker.QueryMetricsAsync()).BuffersInUse == 0);
        using var later = HttpClientConnection.Open(address);
        Assert.Equal(200, later.Get("app.test", "/").Status);
    }

    [Fact(Timeout = 30_000)]
    public async Task BufferPoolExhausted_NewConnectionClosedAtAccept_ThenAcceptedAgain()
    {
        await Task.Yield();
        using var firehose = new FirehoseBackend(32 << 20);
        using var harness = WorkerHarness.Start(new ProxyWorkerOptions { MaxConnections = 100, MaxBuffers = 2, BufferSize = 16384 },
            WorkerHarness.TcpProxy(WorkerHarness.AnyPort, "hose", firehose.Address));
        var address = harness.BoundAddress();
        var stallers = new List<HttpClientConnection>();
        for (var i = 0; i < 2; i++)
        {
            var staller = HttpClientConnection.Open(address);
            staller.Socket.ReceiveBufferSize = 4096;
            stallers.Add(staller);
            var expected = i + 1;
            await WaitFor(async () => (await harness.Worker.QueryMetricsAsync()).BuffersInUse >= expected);
        }

        using (var refused = HttpClientConnection.Open(address))
        {
            Assert.True(refused.ClosedWithin(TimeSpan.FromSeconds(2)));
        }
        var metrics = await harness.Worker.QueryMetricsAsync();
        Assert.Equal(1, metrics.Listeners[0].Traffic.ConnectionsRefused);

        foreach (var staller in stallers)
        {
            staller.Dispose();
        }
        await WaitFor(async () => (await harness.Worker.QueryMetricsAsync()).BuffersInUse == 0);
        using var later = HttpClientConnection.Open(address);
        Assert.Equal(1000, later.Reader.ReadBytes(1000).Length);
    }

    internal static async Task WaitFor(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail("condition not met within 5 s");
    }
}
