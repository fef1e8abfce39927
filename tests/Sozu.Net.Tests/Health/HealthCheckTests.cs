using System.Net;
using System.Net.Sockets;
using Sozu.Messages.Config;
using Sozu.Messages.Events;
using Sozu.Messages.Requests;
using Sozu.Net.Health;
using Sozu.Net.Tests.Support;
using Xunit;

namespace Sozu.Net.Tests.Health;

public class HealthCheckTests
{
    private static readonly HealthCheckConfig FastCheck = new()
    {
        Uri = "/health",
        IntervalSeconds = 1,
        TimeoutSeconds = 1,
        HealthyThreshold = 2,
        UnhealthyThreshold = 2,
    };

    [Theory]
    [InlineData("HTTP/1.1 200 OK", 0, true)]
    [InlineData("HTTP/1.1 204 No", 0, true)]
    [InlineData("HTTP/1.0 299 X", 0, true)]
    [InlineData("HTTP/1.1 301 Moved", 0, false)]
    [InlineData("HTTP/1.1 503 Down", 0, false)]
    [InlineData("HTTP/1.1 418 Teapot", 418, true)]
    [InlineData("HTTP/1.1 200 OK", 418, false)]
    [InlineData("HTTP/2.0 200 OK", 0, false)]
    [InlineData("HTTP/1.1 2x0 OK", 0, false)]
    [InlineData("HTTP/1.1 20", 0, false)]
    public void IsExpected_StatusLine(string line, int expected, bool healthy) =>
        Assert.Equal(healthy, HealthProbe.IsExpected(System.Text.Encoding.ASCII.GetBytes(line), expected));

    [Fact(Timeout = 60_000)]
    public async Task FailingProbes_MarkTheBackendDown_WithoutAnyClientTraffic_AndPassingOnesBringItBack()
    {
        var status = 200;
        using var a = new HttpBackend((request, stream) =>
            HttpBackend.Respond(stream, request.Target == "/health" ? Volatile.Read(ref status) : 200, "a"));
        using var b = HttpBackend.Named("b");
        var events = new EventRecorder();
        using var harness = WorkerHarness.Start(null, events, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [a.Address, b.Address], timeoutSeconds: 5));
        var address = harness.BoundAddress();
        await harness.ApplyOk(new AddCluster(new Cluster { ClusterId = "app", HealthCheck = FastCheck }));
        WaitUntil(() => a.Requests.Count(r => r.Target == "/health") >= 2, "probes to run");
        Assert.Equal(0, events.Count(EventKind.BackendDown));

        Volatile.Write(ref status, 503);
        events.WaitFor(EventKind.BackendDown, "app-0");
        using (var client = HttpClientConnection.Open(address))
        {
            for (var i = 0; i < 20; i++)
            {
                Assert.Equal("b", client.Get("app.test", "/").BodyText);
            }
        }

        Volatile.Write(ref status, 200);
        events.WaitFor(EventKind.BackendUp, "app-0");
        using (var client = HttpClientConnection.Open(address))
        {
            var bodies = Enumerable.Range(0, 10).Select(_ => client.Get("app.test", "/").BodyText).ToList();
            Assert.Contains("a", bodies);
        }
        var probe = a.Requests.First(r => r.Target == "/health");
        Assert.Equal("GET", probe.Method);
        Assert.Equal(a.Address, probe.Header("Host"));
    }

    [Fact(Timeout = 60_000)]
    public async Task BackendThatNeverAnswers_ProbesTimeOut_AndTheLoopKeepsServing()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(64);
        using var b = HttpBackend.Named("b");
        var events = new EventRecorder();
        var silentAddress = silent.LocalEndpoint.ToString()!;
        using var harness = WorkerHarness.Start(null, events, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [b.Address], timeoutSeconds: 5));
        var address = harness.BoundAddress();
        // Weight 0: never picked for clients while b is up, but probed like any backend.
        await harness.ApplyOk(new AddBackend(new Backend { ClusterId = "app", BackendId = "silent", Address = silentAddress, Weight = 0 }));
        await harness.ApplyOk(new AddCluster(new Cluster { ClusterId = "app", HealthCheck = FastCheck }));

        // Probes wait on the silent backend while clients are served: the checks never block the loop.
        var started = Environment.TickCount64;
        using (var client = HttpClientConnection.Open(address))
        {
            while (events.Count(EventKind.BackendDown, "silent") == 0 && Environment.TickCount64 - started < 15_000)
            {
                var response = client.Get("app.test", "/");
                Assert.Equal(200, response.Status);
                await Task.Delay(20);
            }
        }
        var down = events.WaitFor(EventKind.BackendDown, "silent", timeoutMs: 1);
        Assert.Equal(silentAddress, down.Address);
    }

    [Fact(Timeout = 60_000)]
    public async Task RemovingTheHealthCheck_ReleasesTheBackendsItHeldDown()
    {
        using var a = new HttpBackend((request, stream) => HttpBackend.Respond(stream, request.Target == "/health" ? 500 : 200, "a"));
        var events = new EventRecorder();
        using var harness = WorkerHarness.Start(null, events, WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [a.Address], timeoutSeconds: 5));
        var address = harness.BoundAddress();
        await harness.ApplyOk(new AddCluster(new Cluster { ClusterId = "app", HealthCheck = FastCheck }));
        events.WaitFor(EventKind.BackendDown, "app-0");
        using (var client = HttpClientConnection.Open(address))
        {
            Assert.Equal(503, client.Get("app.test", "/").Status);
        }

        await harness.ApplyOk(new AddCluster(new Cluster { ClusterId = "app" }));
        events.WaitFor(EventKind.BackendUp, "app-0", timeoutMs: 2_000);
        var probes = a.Requests.Count(r => r.Target == "/health");
        using (var client = HttpClientConnection.Open(address))
        {
            Assert.Equal(200, client.Get("app.test", "/").Status);
        }
        await Task.Delay(1_500);
        Assert.Equal(probes, a.Requests.Count(r => r.Target == "/health"));
    }

    [Fact]
    public void AddCluster_InvalidHealthCheck_IsRefusedAndChangesNothing()
    {
        using var worker = Sozu.Net.Worker.ProxyWorker.Create(new Sozu.Net.Worker.ProxyWorkerOptions());
        Assert.True(worker.Apply(new AddCluster(new Cluster { ClusterId = "app" })).Ok);
        var cases = new (HealthCheckConfig Check, string Expected)[]
        {
            (FastCheck with { Uri = "health" }, "must be a path"),
            (FastCheck with { Uri = "/a b" }, "must be a path"),
            (FastCheck with { IntervalSeconds = 0 }, "health_check.interval must be greater than 0"),
            (FastCheck with { HealthyThreshold = 0 }, "health_check.healthy_threshold must be greater than 0"),
            (FastCheck with { ExpectedStatus = 42 }, "got 42"),
        };
        foreach (var (check, expected) in cases)
        {
            var result = worker.Apply(new AddCluster(new Cluster { ClusterId = "app", LoadBalancing = LoadBalancingAlgorithm.Random, HealthCheck = check }));
            Assert.False(result.Ok);
            Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        }
        var negative = worker.Apply(new AddCluster(new Cluster { ClusterId = "app", MaxConnectionsPerIp = -1 }));
        Assert.Contains("max_connections_per_ip must be 0 or more", negative.Error, StringComparison.Ordinal);
    }

    private static void WaitUntil(Func<bool> condition, string what)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException($"waited 10 s for {what}");
            }
            Thread.Sleep(20);
        }
    }
}
