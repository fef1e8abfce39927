using System.Net.Sockets;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Net.Sockets;
using Sozu.Net.Tests.Support;
using Sozu.Net.Worker;
using Xunit;

namespace Sozu.Net.Tests.Worker;

/// <summary>
/// A soft stop drains: it takes what waits in the accept queue, stops accepting, closes idle
/// keep-alive connections, answers the next response of the others with Connection: close,
/// serves a connection that has not sent its request yet, lets the rest run until the deadline.
/// </summary>
public class SoftStopTests
{
    [Fact(Timeout = 30_000)]
    public async Task SoftStop_ClosesIdleKeepAlive_FinishesInFlight_ServesAFreshConnection_ThenReportsDrained()
    {
        await Task.Yield();
        var proceed = new ManualResetEventSlim();
        using var backend = new HttpBackend((request, stream) =>
        {
            if (request.Target == "/slow")
            {
                proceed.Wait(TimeSpan.FromSeconds(10));
            }
            HttpBackend.Ok(request, stream);
        });
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address], timeoutSeconds: 10, backTimeoutSeconds: 10));
        var address = harness.BoundAddress();
        using var idle = HttpClientConnection.Open(address);
        var first = idle.Get("app.test", "/");
        Assert.Equal(200, first.Status);
        Assert.NotEqual("close", first.Header("Connection"));
        using var busy = HttpClientConnection.Open(address);
        Assert.Equal(200, busy.Get("app.test", "/").Status);
        busy.Send("GET /slow HTTP/1.1\r\nHost: app.test\r\n\r\n");
        using var fresh = HttpClientConnection.Open(address);
        await LimitsTests.WaitFor(async () => await harness.Worker.Invoke(() => harness.Worker.SessionCount) == 3 && backend.Requests.Count == 3);

        var stopped = harness.Worker.SoftStopAsync();
        Assert.True(idle.ClosedWithin(TimeSpan.FromSeconds(5)), "an idle keep-alive connection closes at once");
        Assert.False(stopped.IsCompleted);

        // Accepted before the stop, its request sent after it: served, and told to close.
        var late = fresh.Get("app.test", "/late");
        Assert.Equal(200, late.Status);
        Assert.Equal("close", late.Header("Connection"));
        Assert.True(fresh.ClosedWithin(TimeSpan.FromSeconds(5)));
        Assert.False(stopped.IsCompleted);

        proceed.Set();
        var response = busy.Response();
        Assert.Equal(200, response.Status);
        Assert.Equal("close", response.Header("Connection"));
        Assert.True(busy.ClosedWithin(TimeSpan.FromSeconds(5)));
        await stopped.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(harness.Worker.Drained);
        Assert.True(harness.Worker.Drained!.IsCompletedSuccessfully);
    }

    [Fact(Timeout = 30_000)]
    public async Task SoftStop_ServesTheRequestAlreadyInTheSocketOfAKeepAliveConnection_WithConnectionClose()
    {
        await Task.Yield();
        using var backend = new HttpBackend(HttpBackend.Ok);
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address], timeoutSeconds: 10, backTimeoutSeconds: 10));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);
        Assert.Equal(200, client.Get("app.test", "/").Status);

        // This runs on the loop thread, so the loop handles no edge meanwhile: the next request
        // reaches the worker's socket, and the stop begins before the loop has read it.
        await harness.Worker.Invoke(() =>
        {
            client.Send("GET /next HTTP/1.1\r\nHost: app.test\r\n\r\n");
            Thread.Sleep(50); // loopback delivery, not a bound: the bytes are queued at the worker by then
            harness.Worker.BeginSoftStop();
            return 0;
        });

        var response = client.Response();
        Assert.Equal(200, response.Status);
        Assert.Equal("close", response.Header("Connection"));
        Assert.True(client.ClosedWithin(TimeSpan.FromSeconds(5)));
    }

    [Fact(Timeout = 30_000)]
    public async Task SoftStop_ATunnelRunsUntilTheDeadline_ThenItIsCut()
    {
        await Task.Yield();
        using var backend = new EchoBackend();
        var clock = new ManualClock(1_000);
        var options = new ProxyWorkerOptions { MaxBuffers = 64, BufferSize = 16384, SoftStopTimeout = TimeSpan.FromSeconds(20) };
        var requests = WorkerHarness.TcpProxy(WorkerHarness.AnyPort, "echo", backend.Address).ToList();
        // The tunnel's own idle timeouts lie beyond the stop's deadline: only the deadline can end it.
        requests[0] = new AddTcpListener(new TcpListenerConfig { Address = WorkerHarness.AnyPort, FrontTimeout = 600, BackTimeout = 600, ConnectTimeout = 5 });
        using var worker = ProxyWorker.Create(options, requests, clock);
        Assert.Empty(worker.ActivateAllListeners());
        worker.StartThread();
        var address = $"127.0.0.1:{await worker.ListenerPortAsync(WorkerHarness.AnyPort)}";
        using var client = HttpClientConnection.Open(address);
        client.Send("a");
        Assert.Equal((byte)'a', client.Reader.ReadBytes(1)[0]);

        var stopped = worker.SoftStopAsync();
        await worker.Invoke(() => 0).WaitAsync(TimeSpan.FromSeconds(5)); // posted after the stop: its deadline is set
        clock.AdvanceMs(19_000);
        client.Send("b");
        Assert.Equal((byte)'b', client.Reader.ReadBytes(1)[0]);
        Assert.False(stopped.IsCompleted);

        clock.AdvanceMs(1_500);
        // The loop sleeps until its next event: a posted no-op wakes it to see the new time.
        await worker.Invoke(() => 0).WaitAsync(TimeSpan.FromSeconds(5));
        await stopped.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(client.ClosedWithin(TimeSpan.FromSeconds(5)));
        Assert.Equal(1, worker.Core.SessionsCutAtDeadline);
    }

    [Fact(Timeout = 30_000)]
    public async Task SoftStop_AcceptsWhatWaitsInTheQueue_AndServesIt()
    {
        using var backend = new HttpBackend();
        // Driven on this thread: the connection below waits in the accept queue until the stop takes it.
        using var worker = ProxyWorker.Create(new ProxyWorkerOptions(), WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address], timeoutSeconds: 10, backTimeoutSeconds: 10));
        Assert.Empty(worker.ActivateAllListeners());
        var address = $"127.0.0.1:{worker.ListenerPort(WorkerHarness.AnyPort)}";
        using var queued = HttpClientConnection.Open(address);
        queued.Send("GET / HTTP/1.1\r\nHost: app.test\r\n\r\n");
        Assert.Equal(0, worker.SessionCount);

        worker.BeginSoftStop();
        Assert.Equal(1, worker.AcceptedWhileStopping);
        var answer = Task.Run(() => queued.Response());
        for (var i = 0; i < 1000 && !worker.Loop.StopRequested; i++)
        {
            worker.RunOnce(10);
        }
        var response = await answer.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(200, response.Status);
        Assert.Equal("close", response.Header("Connection"));
        Assert.True(worker.Loop.StopRequested, "the loop stops once the served connection closed");
        Assert.Equal(0, worker.Core.SessionsCutAtDeadline);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SoftStop_OfOneWorker_LeavesTheSharedQueue_OfTheProduct_ClosesIt(bool refuseNew)
    {
        await Task.Yield();
        using var backend = new HttpBackend();
        Assert.True(NativeAddress.TryParse(WorkerHarness.AnyPort, out var native, out _));
        // The supervisor's copy of the shared socket: it outlives the worker.
        var shared = NativeSocket.Listen(native, out _);
        Assert.True(shared >= 0);
        var address = $"127.0.0.1:{NativeSocket.LocalAddress(shared).Port}";
        try
        {
            var requests = WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address], timeoutSeconds: 10).ToList();
            requests.Add(new ActivateListener(WorkerHarness.AnyPort, ListenerProtocol.Http, FromScm: true));
            using var worker = ProxyWorker.Create(new ProxyWorkerOptions { InheritedListenerFds = new Dictionary<string, int> { [WorkerHarness.AnyPort] = shared } }, requests);
            worker.StartThread();
            await worker.SoftStopAsync(refuseNew).WaitAsync(TimeSpan.FromSeconds(10));

            if (refuseNew)
            {
                var refused = Assert.ThrowsAny<SocketException>(() => HttpClientConnection.Open(address));
                Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
            }
            else
            {
                // Still listening for the other workers: the handshake completes into the shared queue.
                using var waiting = HttpClientConnection.Open(address);
                Assert.True(waiting.Socket.Connected);
            }
        }
        finally
        {
            NativeSocket.Close(shared);
        }
    }
}
