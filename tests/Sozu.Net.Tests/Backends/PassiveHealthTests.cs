using System.Net;
using System.Net.Sockets;
using Sozu.Messages.Config;
using Sozu.Messages.Events;
using Sozu.Messages.Requests;
using Sozu.Net.Backends;
using Sozu.Net.Tests.Support;
using Xunit;

namespace Sozu.Net.Tests.Backends;

public class PassiveHealthTests
{
    [Fact(Timeout = 60_000)]
    public async Task KillingABackendMidRun_LosesNoRequest_AndItsReturnIsNoticed()
    {
        var a = HttpBackend.Named("a");
        var b = HttpBackend.Named("b");
        using var c = HttpBackend.Named("c");
        var events = new EventRecorder();
        using var harness = WorkerHarness.Start(null, events, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [a.Address, b.Address, c.Address], timeoutSeconds: 5));
        var address = harness.BoundAddress();
        var bPort = b.Port;
        var bAddress = b.Address;
        HttpBackend? revived = null;
        try
        {
            // Two clients at once, keep-alive, so some requests are in flight when the backend dies;
            // each goes on for 150 requests after the death (a fast machine finished a fixed run
            // before the test thread saw b serve its 50th request, and nothing was left to fail).
            using var bDead = new ManualResetEventSlim(false);
            var clients = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
            {
                using var client = HttpClientConnection.Open(address);
                var statuses = new List<int>();
                for (int i = 0, afterDeath = 0; i < 20_000 && afterDeath < 150; i++)
                {
                    statuses.Add(client.Get("app.test", "/").Status);
                    if (bDead.IsSet)
                    {
                        afterDeath++;
                    }
                }
                return statuses;
            })).ToArray();
            var waitUntil = Environment.TickCount64 + 10_000;
            while (b.Requests.Count < 50 && !clients.All(t => t.IsCompleted) && Environment.TickCount64 < waitUntil)
            {
                await Task.Delay(1);
            }
            b.Dispose();
            bDead.Set();
            var results = await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(40));
            Assert.All(results.SelectMany(r => r), status => Assert.Equal(200, status));
            var down = events.WaitFor(EventKind.BackendDown, "app-1");
            Assert.Equal("app", down.ClusterId);
            Assert.Equal(bAddress, down.Address);
            Assert.Equal(0, events.Count(EventKind.BackendDown, "app-0"));

            // The same origin comes back on its port: after the back-off a request is tried on it again and succeeds.
            revived = new HttpBackend((r, s) => HttpBackend.Respond(s, 200, "b"), bPort);
            var deadline = Environment.TickCount64 + 20_000;
            while (revived.Requests.IsEmpty && Environment.TickCount64 < deadline)
            {
                using var client = HttpClientConnection.Open(address);
                Assert.Equal(200, client.Get("app.test", "/").Status);
                await Task.Delay(50);
            }
            Assert.NotEmpty(revived.Requests);
            events.WaitFor(EventKind.BackendUp, "app-1");
        }
        finally
        {
            a.Dispose();
            revived?.Dispose();
        }
    }

    /// <summary>An origin that accepts, reads the request head and closes without a byte of answer.</summary>
    private static TcpListener ResettingOrigin(CancellationToken stop)
    {
        var origin = new TcpListener(IPAddress.Loopback, 0);
        origin.Start();
        _ = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var connection = origin.AcceptTcpClient();
                    new HttpReader(connection.GetStream()).ReadHead();
                    connection.Client.LingerState = new LingerOption(true, 0);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException or IOException)
                {
                    return;
                }
            }
        }, CancellationToken.None);
        return origin;
    }

    [Fact(Timeout = 30_000)]
    public async Task ResetBeforeAnyResponseByte_IsRetriedElsewhere_AndCountsAsAFailure()
    {
        using var stop = new CancellationTokenSource();
        var bad = ResettingOrigin(stop.Token);
        using var good = HttpBackend.Named("good");
        var events = new EventRecorder();
        try
        {
            using var harness = WorkerHarness.Start(null, events, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [bad.LocalEndpoint.ToString()!, good.Address], timeoutSeconds: 5));
            var address = harness.BoundAddress();
            using var client = HttpClientConnection.Open(address);
            for (var i = 0; i < 20; i++)
            {
                Assert.Equal("good", client.Get("app.test", "/").BodyText);
            }
            events.WaitFor(EventKind.BackendDown, "app-0");
            var metrics = await harness.Worker.QueryMetricsAsync();
            var badMetrics = metrics.Clusters.Single().Backends.Single(m => m.BackendId == "app-0");
            Assert.True(badMetrics.Down);
            Assert.True(badMetrics.Traffic.ConnectErrors >= BackendRuntime.FailuresBeforeDown);
        }
        finally
        {
            stop.Cancel();
            bad.Stop();
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task OnlyBackendFailing_502ThenOnceDown503_AndNoAvailableBackendsOnce()
    {
        await Task.Yield();
        using var stop = new CancellationTokenSource();
        var bad = ResettingOrigin(stop.Token);
        var events = new EventRecorder();
        try
        {
            using var harness = WorkerHarness.Start(null, events, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [bad.LocalEndpoint.ToString()!], timeoutSeconds: 5));
            var address = harness.BoundAddress();
            var statuses = new List<int>();
            for (var i = 0; i < 6; i++)
            {
                using var client = HttpClientConnection.Open(address);
                statuses.Add(client.Get("app.test", "/").Status);
            }
            // Each of the first requests fails once on the only backend (502); the third failure marks it down.
            Assert.Equal([502, 502, 502, 503, 503, 503], statuses);
            events.WaitFor(EventKind.BackendDown, "app-0");
            events.WaitFor(EventKind.NoAvailableBackends);
            Assert.Equal(1, events.Count(EventKind.NoAvailableBackends));
        }
        finally
        {
            stop.Cancel();
            bad.Stop();
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task TcpBackendRefusing_IsMarkedDown_AndTheOtherServes()
    {
        using var echo = new EchoBackend();
        using var dead = new ClosedPort();
        var events = new EventRecorder();
        using var harness = WorkerHarness.Start(null, events, WorkerHarness.TcpProxy(WorkerHarness.AnyPort, "tcp", dead.Address, echo.Address));
        var address = harness.BoundAddress();
        for (var i = 0; i < 8; i++)
        {
            using var client = new TcpClient();
            var parts = address.Split(':');
            await client.ConnectAsync(parts[0], int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
            var stream = client.GetStream();
            stream.ReadTimeout = 5_000;
            stream.Write("ping"u8);
            var buffer = new byte[4];
            var read = 0;
            while (read < 4)
            {
                var n = stream.Read(buffer, read, 4 - read);
                Assert.True(n > 0);
                read += n;
            }
            Assert.Equal("ping"u8.ToArray(), buffer);
        }
        events.WaitFor(EventKind.BackendDown, "tcp-0");
    }
}
