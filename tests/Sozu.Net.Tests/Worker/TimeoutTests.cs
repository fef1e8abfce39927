using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Net.Tests.Support;
using Xunit;

namespace Sozu.Net.Tests.Worker;

/// <summary>Timeouts the other tests do not already provoke (request → 408, back → 504, connect → 502 are in HttpAnswerTests).</summary>
public class TimeoutTests
{
    [Fact(Timeout = 20_000)]
    public async Task IdleKeepAliveClient_IsClosedAfterFrontTimeout()
    {
        await Task.Yield();
        using var backend = new HttpBackend();
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address]));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);
        Assert.Equal(200, client.Get("app.test", "/").Status);
        var started = Environment.TickCount64;

        // Closed at all (a generous wait, the front timeout is 1 s), and not before the timeout.
        Assert.True(client.ClosedWithin(TimeSpan.FromSeconds(10)));
        Assert.True(Environment.TickCount64 - started >= 800, "closed before the front timeout");
    }

    [Fact(Timeout = 20_000)]
    public async Task IdleTcpSession_IsClosedAfterFrontTimeout()
    {
        await Task.Yield();
        using var backend = new EchoBackend();
        using var harness = WorkerHarness.Start(null,
            new AddTcpListener(new TcpListenerConfig { Address = WorkerHarness.AnyPort, FrontTimeout = 1, BackTimeout = 1, ConnectTimeout = 1 }),
            new AddCluster(new Cluster { ClusterId = "echo" }),
            new AddTcpFrontend(new TcpFrontend { ClusterId = "echo", Address = WorkerHarness.AnyPort }),
            new AddBackend(new Backend { ClusterId = "echo", BackendId = "e", Address = backend.Address }));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);
        client.Send("x");
        Assert.Equal((byte)'x', client.Reader.ReadBytes(1)[0]);

        Assert.True(client.ClosedWithin(TimeSpan.FromSeconds(4)));
    }

    [Fact(Timeout = 20_000)]
    public async Task SilentClient_ThatNeverSendsAByte_IsClosedAfterFrontTimeout()
    {
        await Task.Yield();
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", []));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);

        Assert.True(client.ClosedWithin(TimeSpan.FromSeconds(4)));
    }
}
