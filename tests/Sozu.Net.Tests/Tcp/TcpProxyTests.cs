using System.Net.Sockets;
using System.Text;
using Sozu.Net.Tests.Support;
using Xunit;

namespace Sozu.Net.Tests.Tcp;

public class TcpProxyTests
{
    private static async Task<TcpClient> Connect(string address)
    {
        var client = new TcpClient { NoDelay = true };
        var parts = address.Split(':');
        await client.ConnectAsync(parts[0], int.Parse(parts[1])).WaitAsync(TimeSpan.FromSeconds(5));
        return client;
    }

    private static async Task<byte[]> ReadExactly(NetworkStream stream, int count)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        return buffer;
    }

    [Fact(Timeout = 20_000)]
    public async Task Echo_ThroughProxy_ReturnsTheSameBytes()
    {
        using var backend = new EchoBackend();
        using var harness = WorkerHarness.Start(null, WorkerHarness.TcpProxy(WorkerHarness.AnyPort, "echo", backend.Address));
        var address = harness.BoundAddress();
        using var client = await Connect(address);
        var stream = client.GetStream();
        var message = Encoding.ASCII.GetBytes("hello through the proxy");
        await stream.WriteAsync(message);
        Assert.Equal(message, await ReadExactly(stream, message.Length));
    }

    [Fact(Timeout = 30_000)]
    public async Task Echo_TenMegabytes_StreamsWithBoundedBuffers()
    {
        using var backend = new EchoBackend();
        using var harness = WorkerHarness.Start(new() { MaxBuffers = 8, BufferSize = 16384 }, WorkerHarness.TcpProxy(WorkerHarness.AnyPort, "echo", backend.Address));
        var address = harness.BoundAddress();
        using var client = await Connect(address);
        var stream = client.GetStream();
        var payload = new byte[10 << 20];
        new Random(42).NextBytes(payload);
        var writer = Task.Run(async () =>
        {
            await stream.WriteAsync(payload);
            client.Client.Shutdown(SocketShutdown.Send);
        });
        var received = new MemoryStream();
        var buffer = new byte[65536];
        int n;
        while ((n = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10))) > 0)
        {
            received.Write(buffer, 0, n);
        }
        await writer;
        Assert.Equal(payload.Length, received.Length);
        Assert.True(payload.AsSpan().SequenceEqual(received.ToArray()));
        var metrics = await harness.Worker.QueryMetricsAsync();
        Assert.True(metrics.BuffersCreated <= 8, $"{metrics.BuffersCreated} buffers created");
    }

    [Fact(Timeout = 20_000)]
    public async Task HalfClose_ClientShutsWrite_BackendAnswerStillArrives()
    {
        using var backend = new EchoBackend();
        using var harness = WorkerHarness.Start(null, WorkerHarness.TcpProxy(WorkerHarness.AnyPort, "echo", backend.Address));
        var address = harness.BoundAddress();
        using var client = await Connect(address);
        var stream = client.GetStream();
        await stream.WriteAsync("last words"u8.ToArray());
        client.Client.Shutdown(SocketShutdown.Send);
        var reader = new MemoryStream();
        await stream.CopyToAsync(reader).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("last words", Encoding.ASCII.GetString(reader.ToArray()));
    }

    [Fact(Timeout = 20_000)]
    public async Task DeadBackend_ConnectRetriedOnTheNextOne()
    {
        using var backend = new EchoBackend();
        using var dead = new ClosedPort();
        using var harness = WorkerHarness.Start(null, WorkerHarness.TcpProxy(WorkerHarness.AnyPort, "echo", dead.Address, backend.Address));
        var address = harness.BoundAddress();
        for (var i = 0; i < 3; i++)
        {
            using var client = await Connect(address);
            var stream = client.GetStream();
            await stream.WriteAsync("ping"u8.ToArray());
            Assert.Equal("ping"u8.ToArray(), await ReadExactly(stream, 4));
        }
        var metrics = await harness.Worker.QueryMetricsAsync();
        Assert.True(metrics.Clusters[0].Backends[0].Traffic.ConnectErrors >= 1);
    }

    [Fact(Timeout = 20_000)]
    public async Task ListenerWithoutFrontend_ClosesConnections()
    {
        using var harness = WorkerHarness.Start(null, new Messages.Requests.AddTcpListener(new Messages.Config.TcpListenerConfig { Address = WorkerHarness.AnyPort }));
        var address = harness.BoundAddress();
        using var client = await Connect(address);
        var read = await client.GetStream().ReadAsync(new byte[1]).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, read);
    }
}
