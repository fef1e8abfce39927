using System.Text;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Net.Metrics;
using Sozu.Net.Sockets;
using Sozu.Net.Tests.Support;
using Sozu.Net.Worker;
using Xunit;

namespace Sozu.Net.Tests.Worker;

public class ProxyWorkerTests
{
    [Fact]
    public void Create_InvalidOptions_ThrowsNamingEveryProblem()
    {
        var error = Assert.Throws<ArgumentException>(() => ProxyWorker.Create(new ProxyWorkerOptions { MaxBuffers = 0, BufferSize = 10 }));
        Assert.Contains("max_buffers", error.Message, StringComparison.Ordinal);
        Assert.Contains("buffer_size", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_BadRequests_GetClearErrors_AndChangeNothing()
    {
        using var worker = ProxyWorker.Create(new ProxyWorkerOptions());
        // Never activated: nothing binds, the address is only the listener's key.
        const string address = WorkerHarness.AnyPort;
        Assert.True(worker.Apply(new AddHttpListener(new HttpListenerConfig { Address = address })).Ok);

        var cases = new (ConfigRequest Request, string Expected)[]
        {
            (new AddHttpListener(new HttpListenerConfig { Address = address }), "already exists"),
            (new AddTcpListener(new TcpListenerConfig { Address = "not-an-address" }), "not an ip:port"),
            (new AddHttpFrontend(new HttpFrontend { ClusterId = "c", Address = "127.0.0.1:1", Hostname = "a" }), "no HTTP listener"),
            (new AddTcpFrontend(new TcpFrontend { ClusterId = "c", Address = address }), "is HTTP, not TCP"),
            (new RemoveBackend("nope", "b", "127.0.0.1:1"), "no cluster"),
            (new RemoveCluster("nope"), "no cluster"),
            (new AddBackend(new Backend { ClusterId = "c", BackendId = "b", Address = "nowhere" }), "not an ip:port"),
            (new ActivateListener(address, ListenerProtocol.Http, FromScm: true), "no inherited socket"),
            (new AddCertificate(address, new CertificateAndKey { Certificate = "x", Key = "y" }), "is HTTP, not HTTPS"),
        };
        foreach (var (request, expected) in cases)
        {
            var result = worker.Apply(request);
            Assert.False(result.Ok, request.ToString());
            Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        }
        var listeners = worker.ListListeners();
        Assert.Single(listeners);
        Assert.False(listeners[0].Active);
        Assert.Empty(worker.QueryMetrics().Clusters);
    }

    [Fact]
    public void Apply_FromAnotherThread_IsRefused()
    {
        using var worker = ProxyWorker.Create(new ProxyWorkerOptions());
        worker.RunOnce(0);
        InvalidOperationException? error = null;
        var other = new Thread(() => error = Assert.Throws<InvalidOperationException>(() => worker.Apply(new RemoveCluster("x"))));
        other.Start();
        other.Join();
        Assert.Contains("loop thread", error!.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 20_000)]
    public async Task Listener_DeactivatedThenActivated_StopsAndResumesAccepting()
    {
        using var backend = new HttpBackend();
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address], timeoutSeconds: 5));
        var address = harness.BoundAddress();
        using (var client = HttpClientConnection.Open(address))
        {
            Assert.Equal(200, client.Get("app.test", "/").Status);
        }

        await harness.ApplyOk(new DeactivateListener(WorkerHarness.AnyPort, ListenerProtocol.Http));
        Assert.ThrowsAny<System.Net.Sockets.SocketException>(() => HttpClientConnection.Open(address));

        // Activated again, the listener binds port 0 anew: it gets a port of its own.
        await harness.ApplyOk(new ActivateListener(WorkerHarness.AnyPort, ListenerProtocol.Http));
        address = harness.BoundAddress();
        using var again = HttpClientConnection.Open(address);
        Assert.Equal(200, again.Get("app.test", "/").Status);

        await harness.ApplyOk(new RemoveListener(WorkerHarness.AnyPort, ListenerProtocol.Http));
        Assert.ThrowsAny<System.Net.Sockets.SocketException>(() => HttpClientConnection.Open(address));
    }

    [Fact(Timeout = 20_000)]
    public async Task Listener_ActivatedFromAnInheritedSocket_ServesOnIt()
    {
        await Task.Yield();
        using var backend = new HttpBackend();
        Assert.True(NativeAddress.TryParse(WorkerHarness.AnyPort, out var native, out _));
        var inherited = NativeSocket.Listen(native, out _);
        Assert.True(inherited >= 0);
        var address = $"127.0.0.1:{NativeSocket.LocalAddress(inherited).Port}";
        var requests = WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address]).ToList();
        requests.Add(new ActivateListener(WorkerHarness.AnyPort, ListenerProtocol.Http, FromScm: true));
        using var worker = ProxyWorker.Create(new ProxyWorkerOptions { InheritedListenerFds = new Dictionary<string, int> { [WorkerHarness.AnyPort] = inherited } }, requests);
        worker.StartThread();

        using var client = HttpClientConnection.Open(address);
        Assert.Equal(200, client.Get("app.test", "/").Status);
    }

    [Fact(Timeout = 20_000)]
    public async Task Upgrade_ListenerHandedOverToScm_IsAdoptedByANewWorker_WithoutLosingQueuedConnections()
    {
        await Task.Yield();
        using var backend = new HttpBackend();
        using var old = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address], timeoutSeconds: 5));
        var address = old.BoundAddress();
        await old.ApplyOk(new DeactivateListener(WorkerHarness.AnyPort, ListenerProtocol.Http, ToScm: true));
        var fds = await old.Worker.Invoke(old.Worker.TakeDetachedListenerFds);
        Assert.True(fds.TryGetValue(WorkerHarness.AnyPort, out var fd));

        // Connected while nobody accepts: it waits in the kernel queue of the handed-over socket.
        using var early = HttpClientConnection.Open(address);
        early.Send("GET /early HTTP/1.1\r\nHost: app.test\r\n\r\n");
        var requests = WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address], timeoutSeconds: 5).ToList();
        requests.Add(new ActivateListener(WorkerHarness.AnyPort, ListenerProtocol.Http, FromScm: true));
        using var next = ProxyWorker.Create(new ProxyWorkerOptions { InheritedListenerFds = fds }, requests);
        next.StartThread();

        Assert.Equal("GET /early", early.Response().BodyText);
    }

    [Fact(Timeout = 20_000)]
    public async Task HttpsListener_PlaintextRequest_IsClosedAtOnce()
    {
        await Task.Yield();
        using var harness = WorkerHarness.Start(null, new AddHttpsListener(new HttpsListenerConfig { Address = WorkerHarness.AnyPort }));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);
        // The TLS handshake stage reads a ClientHello; plain HTTP is not one.
        client.Send("GET / HTTP/1.1\r\nHost: app.test\r\n\r\n");
        Assert.True(client.ClosedWithin(TimeSpan.FromSeconds(2)));
    }

    [Fact(Timeout = 20_000)]
    public async Task SoftStop_FinishesTheExchangeUnderWay_ThenStops()
    {
        await Task.Yield();
        var proceed = new ManualResetEventSlim();
        using var backend = new HttpBackend((request, stream) =>
        {
            proceed.Wait(TimeSpan.FromSeconds(10));
            HttpBackend.Ok(request, stream);
        });
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address], timeoutSeconds: 5, backTimeoutSeconds: 5));
        var address = harness.BoundAddress();
        using var idle = HttpClientConnection.Open(address);
        var served = Task.Run(() => idle.Get("app.test", "/")); // the backend answers once proceed is set: it waits in flight too
        using var busy = HttpClientConnection.Open(address);
        busy.Send("GET /slow HTTP/1.1\r\nHost: app.test\r\n\r\n");
        await LimitsTests.WaitFor(async () => backend.Requests.Count == 2);

        var stopped = harness.Worker.SoftStopAsync();
        await harness.Worker.Invoke(() => 0); // posted after the stop: it has begun
        Assert.False(stopped.IsCompleted);
        Assert.ThrowsAny<System.Net.Sockets.SocketException>(() => HttpClientConnection.Open(address));

        proceed.Set();
        Assert.Equal("close", (await served.WaitAsync(TimeSpan.FromSeconds(10))).Header("Connection"));
        var response = busy.Response();
        Assert.Equal(200, response.Status);
        Assert.Equal("close", response.Header("Connection"));
        await stopped.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact(Timeout = 20_000)]
    public async Task HardStop_ClosesEverythingAtOnce()
    {
        await Task.Yield();
        using var backend = new EchoBackend();
        using var harness = WorkerHarness.Start(null, WorkerHarness.TcpProxy(WorkerHarness.AnyPort, "echo", backend.Address));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);
        client.Send("x");
        Assert.Equal((byte)'x', client.Reader.ReadBytes(1)[0]);

        await harness.Worker.HardStopAsync().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(client.ClosedWithin(TimeSpan.FromSeconds(2)));
    }

    [Fact(Timeout = 20_000)]
    public async Task RoundRobin_SpreadsRequestsOverBackends()
    {
        await Task.Yield();
        using var a = new HttpBackend((r, s) => HttpBackend.Respond(s, 200, "a"));
        using var b = new HttpBackend((r, s) => HttpBackend.Respond(s, 200, "b"));
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [a.Address, b.Address], timeoutSeconds: 5));
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);

        var bodies = Enumerable.Range(0, 6).Select(_ => client.Get("app.test", "/").BodyText).ToList();
        Assert.Equal(3, bodies.Count(x => x == "a"));
        Assert.Equal(3, bodies.Count(x => x == "b"));
    }

    [Fact(Timeout = 20_000)]
    public async Task RemovedBackend_IsNoLongerPicked()
    {
        using var a = new HttpBackend((r, s) => HttpBackend.Respond(s, 200, "a"));
        using var b = new HttpBackend((r, s) => HttpBackend.Respond(s, 200, "b"));
        using var harness = WorkerHarness.Start(null, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [a.Address, b.Address], timeoutSeconds: 5));
        var address = harness.BoundAddress();
        await harness.ApplyOk(new RemoveBackend("app", "app-0", a.Address));
        using var client = HttpClientConnection.Open(address);

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("b", client.Get("app.test", "/").BodyText);
        }
    }

    [Fact(Timeout = 20_000)]
    public async Task AccessLog_ReceivesOneEntryPerRequest_WithRouteStatusAndBytes()
    {
        await Task.Yield();
        using var backend = new HttpBackend();
        var log = new RecordingAccessLog();
        var worker = ProxyWorker.Create(new ProxyWorkerOptions(), WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [backend.Address], timeoutSeconds: 5));
        worker.AccessLog = log;
        worker.ActivateAllListeners();
        worker.StartThread();
        using (worker)
        {
            var address = $"127.0.0.1:{await worker.ListenerPortAsync(WorkerHarness.AnyPort)}";
            using var client = HttpClientConnection.Open(address);
            client.Get("app.test", "/logged?x");
            client.Get("nobody.test", "/");
            await LimitsTests.WaitFor(() => Task.FromResult(log.Lines.Count >= 2));
        }

        Assert.Equal("GET app.test /logged?x 200 app app-0 in=", log.Lines.First()[..40]);
        Assert.StartsWith("GET nobody.test / 404 - -", log.Lines.Last(), StringComparison.Ordinal);
    }

    [Fact]
    public void RunOnce_WakerFromAnotherThread_RunsItsCallbackOnTheLoopThread()
    {
        using var worker = ProxyWorker.Create(new ProxyWorkerOptions());
        var loopThread = Environment.CurrentManagedThreadId;
        var ranOn = 0;
        var waker = worker.Loop.CreateWaker(() => ranOn = Environment.CurrentManagedThreadId);
        worker.RunOnce(0);

        var other = new Thread(waker.Wake);
        other.Start();
        other.Join();
        for (var i = 0; i < 10 && ranOn == 0; i++)
        {
            worker.RunOnce(1000);
        }
        Assert.Equal(loopThread, ranOn);
    }

    [Fact]
    public unsafe void RunOnce_WatchedFd_WakesEpollWait()
    {
        using var worker = ProxyWorker.Create(new ProxyWorkerOptions());
        var eventFd = Interop.Libc.EventFd(0, Interop.Libc.EfdNonBlock);
        try
        {
            var seen = 0;
            var token = worker.Loop.Watch(eventFd, fd =>
            {
                ulong value;
                Interop.Libc.Read(fd, (byte*)&value, 8);
                seen++;
            });
            ulong one = 1;
            Interop.Libc.Write(eventFd, (byte*)&one, 8);
            // The callback runs only when epoll_wait reports the fd: a wait that timed out would leave 0.
            worker.RunOnce(5000);
            Assert.Equal(1, seen);
            worker.Loop.Unwatch(token);
        }
        finally
        {
            Interop.Libc.Close(eventFd);
        }
    }

    private sealed class RecordingAccessLog : IAccessLog
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Lines { get; } = new();

        public bool Enabled => true;

        public void Log(in AccessLogEntry entry) => Lines.Enqueue(
            $"{Encoding.ASCII.GetString(entry.Method)} {Encoding.ASCII.GetString(entry.Host)} {Encoding.ASCII.GetString(entry.Path)} {entry.Status} {entry.ClusterId ?? "-"} {entry.BackendId ?? "-"} in={entry.BytesIn} out={entry.BytesOut}");
    }
}
