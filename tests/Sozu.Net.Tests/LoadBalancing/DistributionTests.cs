using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Net.Tests.Support;
using Xunit;

namespace Sozu.Net.Tests.LoadBalancing;

/// <summary>1,000 requests through a real worker to real backends on 127.0.0.1, per algorithm.</summary>
public class DistributionTests
{
    private const int Requests = 1_000;

    private static ConfigRequest[] Proxy(string address, LoadBalancingAlgorithm algorithm, LoadMetric metric, HttpBackend[] backends, int[] weights)
    {
        var requests = new List<ConfigRequest>(WorkerHarness.HttpProxy(address, "app", [], timeoutSeconds: 5))
        {
            new AddCluster(new Cluster { ClusterId = "app", LoadBalancing = algorithm, LoadMetric = metric }),
        };
        for (var i = 0; i < backends.Length; i++)
        {
            requests.Add(new AddBackend(new Backend { ClusterId = "app", BackendId = $"app-{i}", Address = backends[i].Address, Weight = weights[i] }));
        }
        return [.. requests];
    }

    private static HttpBackend[] NamedBackends(int count) => Enumerable.Range(0, count).Select(i => HttpBackend.Named(i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();

    /// <summary>Sends the requests one after the other on one keep-alive connection; the index of the backend that answered each.</summary>
    private static List<int> Run(string address, int requests)
    {
        using var client = HttpClientConnection.Open(address);
        var served = new List<int>(requests);
        for (var i = 0; i < requests; i++)
        {
            var response = client.Get("app.test", "/");
            Assert.Equal(200, response.Status);
            served.Add(int.Parse(response.BodyText, System.Globalization.CultureInfo.InvariantCulture));
        }
        return served;
    }

    private static int[] Counts(List<int> served, int backends)
    {
        var counts = new int[backends];
        foreach (var index in served)
        {
            counts[index]++;
        }
        return counts;
    }

    private static void Dispose(HttpBackend[] backends)
    {
        foreach (var backend in backends)
        {
            backend.Dispose();
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task RoundRobin_EqualWeights_ExactRotation()
    {
        await Task.Yield();
        var backends = NamedBackends(4);
        try
        {
            using var harness = WorkerHarness.Start(null, Proxy(WorkerHarness.AnyPort, LoadBalancingAlgorithm.RoundRobin, LoadMetric.Connections, backends, [100, 100, 100, 100]));
            var address = harness.BoundAddress();
            var served = Run(address, Requests);
            Assert.Equal([250, 250, 250, 250], Counts(served, 4));
            for (var i = 1; i < served.Count; i++)
            {
                Assert.Equal((served[i - 1] + 1) % 4, served[i]);
            }
        }
        finally
        {
            Dispose(backends);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task RoundRobin_Weights_ExactShares()
    {
        await Task.Yield();
        var backends = NamedBackends(4);
        try
        {
            using var harness = WorkerHarness.Start(null, Proxy(WorkerHarness.AnyPort, LoadBalancingAlgorithm.RoundRobin, LoadMetric.Connections, backends, [1, 2, 3, 4]));
            var address = harness.BoundAddress();
            Assert.Equal([100, 200, 300, 400], Counts(Run(address, Requests), 4));
        }
        finally
        {
            Dispose(backends);
        }
    }

    [Theory(Timeout = 60_000)]
    [InlineData(LoadBalancingAlgorithm.Random)]
    [InlineData(LoadBalancingAlgorithm.PowerOfTwo)]
    public async Task RandomAndPowerOfTwo_SequentialRequests_SharesWithinFiveSigmaOfTheWeights(LoadBalancingAlgorithm algorithm)
    {
        await Task.Yield();
        int[] weights = [1, 2, 3, 4];
        var backends = NamedBackends(4);
        try
        {
            using var harness = WorkerHarness.Start(null, Proxy(WorkerHarness.AnyPort, algorithm, LoadMetric.Connections, backends, weights));
            var address = harness.BoundAddress();
            // One request at a time: every backend is idle at each pick, so power-of-two keeps its first (weighted) draw.
            WeightedRandomTests.AssertShares(Counts(Run(address, Requests), 4), weights);
        }
        finally
        {
            Dispose(backends);
        }
    }

    [Theory(Timeout = 60_000)]
    [InlineData(LoadBalancingAlgorithm.LeastLoaded, LoadMetric.Connections)]
    [InlineData(LoadBalancingAlgorithm.LeastLoaded, LoadMetric.Requests)]
    [InlineData(LoadBalancingAlgorithm.PowerOfTwo, LoadMetric.Connections)]
    [InlineData(LoadBalancingAlgorithm.PowerOfTwo, LoadMetric.Requests)]
    public async Task LoadAware_ABackendHoldingASlowRequest_GetsNoneOfTheOthers(LoadBalancingAlgorithm algorithm, LoadMetric metric)
    {
        using var gate = new ManualResetEventSlim(false);
        var backends = Enumerable.Range(0, 2).Select(i => new HttpBackend((request, stream) =>
        {
            if (request.Target == "/slow")
            {
                gate.Wait(TimeSpan.FromSeconds(20));
            }
            HttpBackend.Respond(stream, 200, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        })).ToArray();
        try
        {
            using var harness = WorkerHarness.Start(null, Proxy(WorkerHarness.AnyPort, algorithm, metric, backends, [100, 100]));
            var address = harness.BoundAddress();
            var slow = Task.Run(() =>
            {
                using var client = HttpClientConnection.Open(address);
                client.Stream.ReadTimeout = 30_000;
                return client.Get("app.test", "/slow").BodyText;
            });
            var holder = WaitForSlowRequest(backends);

            var served = Run(address, 200);
            gate.Set();
            Assert.Equal(holder.ToString(System.Globalization.CultureInfo.InvariantCulture), await slow.WaitAsync(TimeSpan.FromSeconds(20)));
            Assert.All(served, index => Assert.Equal(1 - holder, index));
        }
        finally
        {
            gate.Set();
            Dispose(backends);
        }
    }

    private static int WaitForSlowRequest(HttpBackend[] backends)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (Environment.TickCount64 < deadline)
        {
            for (var i = 0; i < backends.Length; i++)
            {
                if (backends[i].Requests.Any(r => r.Target == "/slow"))
                {
                    return i;
                }
            }
            Thread.Sleep(10);
        }
        throw new TimeoutException("the slow request reached no backend");
    }

    [Fact(Timeout = 60_000)]
    public async Task LeastLoaded_ConnectionTime_AvoidsTheSlowBackend()
    {
        await Task.Yield();
        var backends = new[]
        {
            new HttpBackend((r, s) => { Thread.Sleep(40); HttpBackend.Respond(s, 200, "0"); }),
            HttpBackend.Named("1"),
        };
        try
        {
            using var harness = WorkerHarness.Start(null, Proxy(WorkerHarness.AnyPort, LoadBalancingAlgorithm.LeastLoaded, LoadMetric.ConnectionTime, backends, [100, 100]));
            var address = harness.BoundAddress();
            var counts = Counts(Run(address, 200), 2);
            // Before the first samples both are equal; once the 40 ms answer is known the slow one is avoided.
            Assert.InRange(counts[0], 0, 3);
        }
        finally
        {
            Dispose(backends);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task AddCluster_Upsert_SwitchesTheAlgorithmAtRuntime()
    {
        var backends = NamedBackends(2);
        try
        {
            using var harness = WorkerHarness.Start(null, Proxy(WorkerHarness.AnyPort, LoadBalancingAlgorithm.RoundRobin, LoadMetric.Connections, backends, [100, 100]));
            var address = harness.BoundAddress();
            var before = Run(address, 100);
            Assert.All(Enumerable.Range(1, 99), i => Assert.NotEqual(before[i - 1], before[i]));

            await harness.ApplyOk(new AddCluster(new Cluster { ClusterId = "app", LoadBalancing = LoadBalancingAlgorithm.Random }));
            var after = Run(address, 200);
            // A random pick alternates 199 times in a row with probability 2^-199.
            Assert.Contains(Enumerable.Range(1, 199), i => after[i - 1] == after[i]);
        }
        finally
        {
            Dispose(backends);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Backup_ServesOnlyWhileThePrimaryIsDown()
    {
        var primary = HttpBackend.Named("primary");
        using var backup = HttpBackend.Named("backup");
        var requests = new List<ConfigRequest>(WorkerHarness.HttpProxy(WorkerHarness.AnyPort, "app", [primary.Address], timeoutSeconds: 5))
        {
            new AddBackend(new Backend { ClusterId = "app", BackendId = "spare", Address = backup.Address, Backup = true }),
        };
        using var harness = WorkerHarness.Start(null, [.. requests]);
        var address = harness.BoundAddress();
        using var client = HttpClientConnection.Open(address);
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal("primary", client.Get("app.test", "/").BodyText);
        }
        Assert.Empty(backup.Requests);

        primary.Dispose();
        for (var i = 0; i < 50; i++)
        {
            using var fresh = HttpClientConnection.Open(address);
            Assert.Equal("backup", fresh.Get("app.test", "/").BodyText);
        }
        await Task.CompletedTask;
    }
}
