using System.Net.Sockets;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Net.Limits;
using Sozu.Net.Tests.Support;
using Sozu.Net.Worker;
using Xunit;

namespace Sozu.Net.Tests.Limits;

public class PerIpLimitTests
{
    [Fact]
    public void ConnectionsPerIp_CountsUpToTheLimit_AndForgetsAnIpAtZero()
    {
        var counts = new ConnectionsPerIp();
        var ip = new ClientIp(0, 0x7F000001);
        var other = new ClientIp(0, 0x7F000002);
        Assert.True(counts.TryAcquire(ip, 2));
        Assert.True(counts.TryAcquire(ip, 2));
        Assert.False(counts.TryAcquire(ip, 2));
        Assert.True(counts.TryAcquire(other, 2));
        Assert.Equal(2, counts.CountOf(ip));
        counts.Release(ip);
        counts.Release(ip);
        counts.Release(ip);
        Assert.Equal(0, counts.CountOf(ip));
        Assert.Equal(1, counts.TrackedIps);
    }

    [Fact]
    public void Options_FromGlobalConfig_CarryTheCap_AndRefuseNegativeValues()
    {
        Assert.Equal(7, ProxyWorkerOptions.From(new GlobalConfig { MaxConnectionsPerIp = 7 }).MaxConnectionsPerIp);
        var problems = new ProxyWorkerOptions { MaxConnectionsPerIp = -1, RetryAfterSeconds = -2 }.Validate();
        Assert.Contains(problems, p => p.Contains("max_connections_per_ip", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("retry_after", StringComparison.Ordinal));
    }

    [Fact(Timeout = 30_000)]
    public async Task ClusterLimit_ThirdConnectionGets429WithRetryAfter_AndAFreedSlotIsReused()
    {
        using var backend = HttpBackend.Named("ok");
        var requests = new List<ConfigRequest>(WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address], timeoutSeconds: 5))
        {
            new AddCluster(new Cluster { ClusterId = "app", MaxConnectionsPerIp = 2 }),
        };
        using var harness = WorkerHarness.Start(null, [.. requests]);
        var address = harness.BoundAddress();
        var first = HttpClientConnection.Open(address);
        using var second = HttpClientConnection.Open(address);
        Assert.Equal(200, first.Get("app.test", "/").Status);
        Assert.Equal(200, second.Get("app.test", "/").Status);
        // Keep-alive requests on a counted connection are not counted again.
        Assert.Equal(200, second.Get("app.test", "/").Status);

        using (var third = HttpClientConnection.Open(address))
        {
            var refused = third.Get("app.test", "/");
            Assert.Equal(429, refused.Status);
            Assert.Equal("60", refused.Header("Retry-After"));
            Assert.True(third.ClosedWithin(TimeSpan.FromSeconds(3)));
        }

        first.Dispose();
        var deadline = Environment.TickCount64 + 5_000;
        var status = 0;
        while (status != 200 && Environment.TickCount64 < deadline)
        {
            using var again = HttpClientConnection.Open(address);
            status = again.Get("app.test", "/").Status;
        }
        Assert.Equal(200, status);
        var metrics = await harness.Worker.QueryMetricsAsync();
        Assert.True(metrics.Clusters.Single().Traffic.OverIpLimit >= 1);
        Assert.True(metrics.Global.OverIpLimit >= 1);
        Assert.True(metrics.Clusters.Single().Traffic.Status4xx >= 1);
    }

    [Fact(Timeout = 30_000)]
    public async Task GlobalLimit_AppliesToClustersWithoutTheirOwn_WithTheConfiguredRetryAfter()
    {
        await Task.Yield();
        using var backend = HttpBackend.Named("ok");
        using var harness = WorkerHarness.Start(
            new ProxyWorkerOptions { MaxBuffers = 64, BufferSize = 16384, MaxConnectionsPerIp = 1, RetryAfterSeconds = 5 },
            WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address], timeoutSeconds: 5));
        var address = harness.BoundAddress();
        using var first = HttpClientConnection.Open(address);
        Assert.Equal(200, first.Get("app.test", "/").Status);
        using var second = HttpClientConnection.Open(address);
        var refused = second.Get("app.test", "/");
        Assert.Equal(429, refused.Status);
        Assert.Equal("5", refused.Header("Retry-After"));
    }

    [Fact(Timeout = 30_000)]
    public async Task ClusterLimitZero_SwitchesTheGlobalLimitOff()
    {
        using var backend = HttpBackend.Named("ok");
        using var harness = WorkerHarness.Start(
            new ProxyWorkerOptions { MaxBuffers = 64, BufferSize = 16384, MaxConnectionsPerIp = 1 },
            WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address], timeoutSeconds: 5));
        var address = harness.BoundAddress();
        await harness.ApplyOk(new AddCluster(new Cluster { ClusterId = "app", MaxConnectionsPerIp = 0 }));
        var clients = Enumerable.Range(0, 4).Select(_ => HttpClientConnection.Open(address)).ToList();
        try
        {
            Assert.All(clients, c => Assert.Equal(200, c.Get("app.test", "/").Status));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task TcpLimit_ConnectionOverTheCapIsClosed_TheOthersKeepPiping()
    {
        using var echo = new EchoBackend();
        var requests = new List<ConfigRequest>(WorkerHarness.TcpProxy(WorkerHarness.AnyPort, "tcp", echo.Address))
        {
            new AddCluster(new Cluster { ClusterId = "tcp", MaxConnectionsPerIp = 1 }),
        };
        using var harness = WorkerHarness.Start(null, [.. requests]);
        var address = harness.BoundAddress();
        var parts = address.Split(':');
        var port = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        using var first = new TcpClient();
        await first.ConnectAsync(parts[0], port);
        var stream = first.GetStream();
        stream.ReadTimeout = 5_000;
        stream.Write("one"u8);
        Assert.Equal("one", ReadExactly(stream, 3));

        using var second = new TcpClient();
        await second.ConnectAsync(parts[0], port);
        var refused = second.GetStream();
        refused.ReadTimeout = 5_000;
        Assert.Equal(0, ReadOrClosed(refused));

        stream.Write("two"u8);
        Assert.Equal("two", ReadExactly(stream, 3));
        var metrics = await harness.Worker.QueryMetricsAsync();
        Assert.Equal(1, metrics.Clusters.Single().Traffic.OverIpLimit);
    }

    private static string ReadExactly(NetworkStream stream, int count)
    {
        var buffer = new byte[count];
        stream.ReadExactly(buffer);
        return System.Text.Encoding.ASCII.GetString(buffer);
    }

    /// <summary>0 when the proxy closed (or reset) the connection.</summary>
    private static int ReadOrClosed(NetworkStream stream)
    {
        try
        {
            return stream.Read(new byte[16]);
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            return 0;
        }
    }
}
