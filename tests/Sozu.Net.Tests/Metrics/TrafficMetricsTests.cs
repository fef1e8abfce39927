using System.Net.Sockets;
using System.Text;
using Sozu.Net.Tests.Support;
using Sozu.Net.Tests.Tls;
using Xunit;

namespace Sozu.Net.Tests.Metrics;

/// <summary>What the worker's counters say after known traffic over real sockets: every byte, one time sample per request.</summary>
public class TrafficMetricsTests
{
    private static readonly byte[] Request = "GET /known-size HTTP/1.1\r\nHost: app.test\r\nUser-Agent: metrics-test\r\n\r\n"u8.ToArray();

    private static readonly byte[] Response = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + new string('x', 100));

    [Fact(Timeout = 30_000)]
    public async Task KeepAliveRequests_CountTheBytesOnTheWire_AndOneTimeSamplePerRequest()
    {
        await Task.Yield();
        const int n = 20;
        var delay = TimeSpan.FromMilliseconds(5);
        using var origin = new RawOrigin(Response, delay);
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [origin.Address], timeoutSeconds: 10, backTimeoutSeconds: 10));
        var address = harness.BoundAddress();
        using var client = Connect(address, out var wire);
        var reader = new HttpReader(wire);
        for (var i = 0; i < n; i++)
        {
            wire.Write(Request);
            var response = reader.Read(isResponse: true) ?? throw new IOException("closed");
            Assert.Equal(200, response.Status);
        }

        var metrics = await harness.Worker.QueryMetricsAsync();
        Assert.Equal(n * Request.Length, wire.BytesWritten);
        foreach (var traffic in new[] { metrics.Global, Assert.Single(metrics.Listeners).Traffic, Assert.Single(metrics.Clusters).Traffic })
        {
            Assert.Equal(wire.BytesWritten, traffic.BytesIn);
            Assert.Equal(wire.BytesRead, traffic.BytesOut);
        }
        var cluster = metrics.Clusters[0];
        var backend = Assert.Single(cluster.Backends);
        Assert.Equal(n * Response.Length, origin.Sent);
        Assert.Equal(origin.Sent, backend.Traffic.BytesIn);
        Assert.Equal(origin.Received, backend.Traffic.BytesOut);

        foreach (var latency in new[] { cluster.Latency, backend.Latency })
        {
            // One pooled backend connection: one connect for n requests.
            Assert.Equal(1, latency.ConnectTime.Count);
            Assert.Equal(n, latency.ResponseTime.Count);
            Assert.Equal(n, latency.RequestTime.Count);
            Assert.Equal(n, latency.ResponseTime.Buckets.Sum(b => b.Count));
            // The origin waits 5 ms before each answer: no response head comes sooner (less the bucket error).
            var floor = (long)(delay.TotalMicroseconds * 0.875);
            Assert.True(latency.ResponseTime.P50Micros >= floor, $"p50 {latency.ResponseTime.P50Micros} µs");
            Assert.True(latency.ResponseTime.SumMicros >= n * (long)delay.TotalMicroseconds, $"sum {latency.ResponseTime.SumMicros} µs");
            Assert.True(latency.ResponseTime.P50Micros <= latency.ResponseTime.P99Micros);
            Assert.True(latency.RequestTime.P50Micros >= latency.ResponseTime.P50Micros);
            Assert.True(latency.RequestTime.SumMicros >= latency.ResponseTime.SumMicros);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task NewBackendConnections_EachGiveAConnectTimeSample()
    {
        await Task.Yield();
        const int n = 5;
        // "Connection: close" from the origin: no backend connection is pooled, each request connects anew.
        using var origin = new RawOrigin(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"), TimeSpan.Zero);
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [origin.Address], timeoutSeconds: 10, backTimeoutSeconds: 10));
        var address = harness.BoundAddress();
        using var client = Connect(address, out var wire);
        var reader = new HttpReader(wire);
        for (var i = 0; i < n; i++)
        {
            wire.Write(Request);
            Assert.Equal(200, reader.Read(isResponse: true)!.Status);
        }
        var cluster = Assert.Single((await harness.Worker.QueryMetricsAsync()).Clusters);
        Assert.Equal(n, cluster.Latency.ConnectTime.Count);
        Assert.Equal(n, cluster.Latency.RequestTime.Count);
        Assert.Equal(cluster.Latency.ConnectTime, cluster.Backends[0].Latency.ConnectTime);
    }

    [Fact(Timeout = 30_000)]
    public async Task TheProxysOwnAnswers_CountTheirBytesToo()
    {
        await Task.Yield();
        const int n = 10;
        using var origin = new RawOrigin(Response, TimeSpan.Zero);
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [origin.Address], timeoutSeconds: 10, backTimeoutSeconds: 10));
        var address = harness.BoundAddress();
        using var client = Connect(address, out var wire);
        var reader = new HttpReader(wire);
        var unknown = "GET / HTTP/1.1\r\nHost: nobody.test\r\n\r\n"u8.ToArray();
        for (var i = 0; i < n; i++)
        {
            // 404 to a bodiless keep-alive request: the connection goes on.
            wire.Write(unknown);
            Assert.Equal(404, reader.Read(isResponse: true)!.Status);
        }

        var metrics = await harness.Worker.QueryMetricsAsync();
        var listener = Assert.Single(metrics.Listeners).Traffic;
        Assert.Equal(n, listener.Status4xx);
        Assert.Equal(n * unknown.Length, listener.BytesIn);
        Assert.Equal(wire.BytesRead, listener.BytesOut);
        Assert.Equal(wire.BytesRead, metrics.Global.BytesOut);
        Assert.Equal(0, Assert.Single(metrics.Clusters).Traffic.BytesIn);
    }

    [Fact(Timeout = 30_000)]
    public async Task HttpsListener_ReportsItsTlsCounters_AndPlaintextBytes()
    {
        using var https = HttpsHarness.Start(certificates: [TestCertificate.Rsa("a.test").ForProxy()]);
        await Task.Yield();
        const string request = "GET / HTTP/1.1\r\nHost: a.test\r\n\r\n";
        using (var client = TlsClient.Connect(https.Address, "a.test"))
        {
            client.Send(request);
            Assert.Equal(200, client.Response().Status);
        }
        using (var client = TlsClient.Connect(https.Address, "a.test"))
        {
            client.Send(request);
            Assert.Equal(200, client.Response().Status);
        }

        var metrics = await https.Worker.Worker.QueryMetricsAsync();
        var listener = Assert.Single(metrics.Listeners);
        var tls = Assert.IsType<Sozu.Net.Tls.TlsCounters>(listener.Tls);
        Assert.Equal(2, tls.Handshakes);
        Assert.Equal(0, tls.HandshakeFailures);
        Assert.Equal(1, tls.Certificates);
        Assert.Equal(2 * request.Length, listener.Traffic.BytesIn);
        Assert.Equal(2, Assert.Single(metrics.Clusters).Latency.ResponseTime.Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task TcpPipe_CountsBothDirections_AndTheConnectTime()
    {
        await Task.Yield();
        using var echo = new EchoBackend();
        using var harness = WorkerHarness.Start(null, WorkerHarness.TcpProxy(WorkerHarness.AnyPort, "db", echo.Address));
        var address = harness.BoundAddress();
        var payload = new byte[10_000];
        new Random(3).NextBytes(payload);
        using (var client = Connect(address, out var wire))
        {
            wire.Write(payload);
            var back = new byte[payload.Length];
            wire.ReadExactly(back);
            Assert.Equal(payload, back);
        }
        await Worker.LimitsTests.WaitFor(async () => (await harness.Worker.QueryMetricsAsync()).Sessions == 0);

        var metrics = await harness.Worker.QueryMetricsAsync();
        Assert.Equal(payload.Length, metrics.Global.BytesIn);
        Assert.Equal(payload.Length, metrics.Global.BytesOut);
        var cluster = Assert.Single(metrics.Clusters);
        Assert.Equal(payload.Length, cluster.Traffic.BytesIn);
        Assert.Equal(payload.Length, cluster.Backends[0].Traffic.BytesOut);
        Assert.Equal(1, cluster.Latency.ConnectTime.Count);
        Assert.Equal(0, cluster.Latency.ResponseTime.Count);
    }

    private static TcpClient Connect(string address, out CountingStream wire)
    {
        var parts = address.Split(':');
        var client = new TcpClient { NoDelay = true };
        client.Connect(parts[0], int.Parse(parts[1]));
        var stream = client.GetStream();
        stream.ReadTimeout = 10_000;
        stream.WriteTimeout = 10_000;
        wire = new CountingStream(stream);
        return client;
    }
}
