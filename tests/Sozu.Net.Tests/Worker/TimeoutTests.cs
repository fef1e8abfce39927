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
        var address = FreePort.Address();
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(address, "app", [backend.Address]));
        using var client = HttpClientConnection.Open(address);
        Assert.Equal(200, client.Get("app.test", "/").Status);
        var started = Environment.TickCount64;

        Assert.True(client.ClosedWithin(TimeSpan.FromSeconds(4)));
        Assert.InRange(Environment.TickCount64 - started, 800, 3000);
    }

    [Fact(Timeout = 20_000)]
    public async Task IdleTcpSession_IsClosedAfterFrontTimeout()
    {
        await Task.Yield();
        using var backend = new EchoBackend();
        var address = FreePort.Address();
        using var harness = WorkerHarness.Start(null,
            new AddTcpListener(new TcpListenerConfig { Address = address, FrontTimeout = 1, BackTimeout = 1, ConnectTimeout = 1 }),
            new AddCluster(new Cluster { ClusterId = "echo" }),
            new AddTcpFrontend(new TcpFrontend { ClusterId = "echo", Address = address }),
            new AddBackend(new Backend { ClusterId = "echo", BackendId = "e", Address = backend.Address }));
        using var client = HttpClientConnection.Open(address);
        client.Send("x");
        Assert.Equal((byte)'x', client.Reader.ReadBytes(1)[0]);

        Assert.True(client.ClosedWithin(TimeSpan.FromSeconds(4)));
    }

    [Fact(Timeout = 20_000)]
    public async Task SilentClient_ThatNeverSendsAByte_IsClosedAfterFrontTimeout()
    {
        await Task.Yield();
        var address = FreePort.Address();
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(address, "app", []));
        using var client = HttpClientConnection.Open(address);

        Assert.True(client.ClosedWithin(TimeSpan.FromSeconds(4)));
    }
}
