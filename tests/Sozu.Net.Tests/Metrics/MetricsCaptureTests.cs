using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Net.Metrics;
using Sozu.Net.Worker;
using Xunit;

namespace Sozu.Net.Tests.Metrics;

/// <summary>The loop's raw copy of the counters and the records built from it later, elsewhere.</summary>
public class MetricsCaptureTests
{
    private static ProxyWorker Worker(int clusters, int backends)
    {
        var worker = ProxyWorker.Create(new ProxyWorkerOptions { MaxBuffers = 4 });
        for (var c = 0; c < clusters; c++)
        {
            Assert.True(worker.Apply(new AddCluster(new Cluster { ClusterId = "c" + c })).Ok);
            for (var b = 0; b < backends; b++)
            {
                Assert.True(worker.Apply(new AddBackend(new Backend { ClusterId = "c" + c, BackendId = $"c{c}-{b}", Address = $"127.0.0.1:{20_000 + (c * 10) + b}" })).Ok);
            }
        }
        return worker;
    }

    private static void Record(ProxyWorker worker, long micros)
    {
        foreach (var cluster in worker.Core.Clusters.Values)
        {
            cluster.Traffic.Requests++;
            cluster.Latency.ResponseTime.Record(micros);
            foreach (var backend in cluster.Backends)
            {
                backend.Traffic.BytesIn += 10;
                backend.Latency.ConnectTime.Record(micros / 10);
                backend.Latency.RequestTime.Record(micros * 2);
            }
        }
    }

    [Fact]
    public void ToSnapshot_HoldsTheCountersAsTheyWereAtCapture_NotAsTheyAreNow()
    {
        using var worker = Worker(clusters: 3, backends: 2);
        Record(worker, 1_000);
        Record(worker, 50_000);
        var capture = new MetricsCapture();
        worker.CaptureMetrics(capture);
        var expected = worker.Core.Clusters.Values.Select(c => (c.Config.ClusterId, c.Latency.Snapshot(), c.Backends.Select(b => b.Latency.Snapshot()).ToList())).ToList();
        Record(worker, 900_000);

        var snapshot = capture.ToSnapshot();

        Assert.Equal(3, snapshot.Clusters.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var cluster = snapshot.Clusters[i];
            Assert.Equal(expected[i].ClusterId, cluster.ClusterId);
            Assert.Equal(2, cluster.Traffic.Requests);
            Assert.Equal(expected[i].Item2, cluster.Latency);
            Assert.Equal(2, cluster.Latency.ResponseTime.Count);
            Assert.Equal(0, cluster.Latency.ConnectTime.Count);
            Assert.Equal(2, cluster.Backends.Count);
            for (var j = 0; j < 2; j++)
            {
                Assert.Equal(expected[i].Item3[j], cluster.Backends[j].Latency);
                Assert.Equal(20, cluster.Backends[j].Traffic.BytesIn);
                Assert.Equal(cluster.ClusterId, cluster.Backends[j].ClusterId);
            }
        }
    }

    [Fact]
    public void Capture_ReusedAfterTheWorkerShrankAndGrew_ReportsOnlyWhatExistsNow()
    {
        using var worker = Worker(clusters: 2, backends: 3);
        Record(worker, 2_000);
        var capture = new MetricsCapture();
        worker.CaptureMetrics(capture);
        Assert.True(worker.Apply(new RemoveCluster("c0")).Ok);
        worker.CaptureMetrics(capture);
        Assert.Equal(["c1"], capture.ToSnapshot().Clusters.Select(c => c.ClusterId));
        for (var c = 2; c < 40; c++)
        {
            Assert.True(worker.Apply(new AddCluster(new Cluster { ClusterId = "c" + c })).Ok);
            Assert.True(worker.Apply(new AddBackend(new Backend { ClusterId = "c" + c, BackendId = "b" + c, Address = $"127.0.0.1:{30_000 + c}" })).Ok);
        }
        Record(worker, 3_000);
        worker.CaptureMetrics(capture);
        var snapshot = capture.ToSnapshot();
        Assert.Equal(39, snapshot.Clusters.Count);
        Assert.Equal(2, snapshot.Clusters.Single(c => c.ClusterId == "c1").Latency.ResponseTime.Count);
        Assert.Equal(1, snapshot.Clusters.Single(c => c.ClusterId == "c39").Backends.Single().Latency.RequestTime.Count);
        Assert.Equal(snapshot, worker.QueryMetrics());
    }

    [Fact]
    public void Capture_OnceItsArraysFit_AllocatesNothingOnTheLoop()
    {
        using var worker = Worker(clusters: 50, backends: 3);
        Record(worker, 4_000);
        var capture = new MetricsCapture();
        worker.CaptureMetrics(capture);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++)
        {
            worker.CaptureMetrics(capture);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
