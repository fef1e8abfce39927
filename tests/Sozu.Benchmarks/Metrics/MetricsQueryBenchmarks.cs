using BenchmarkDotNet.Attributes;
using Sozu.Actors.Metrics;
using Sozu.Messages.Answers;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Net.Metrics;
using Sozu.Net.Worker;

namespace Sozu.Benchmarks.Metrics;

/// <summary>
/// What one query_metrics costs a worker with 1,000 clusters × 3 backends, every histogram
/// holding samples. Before: the records and the answer were built on the loop thread
/// (<see cref="SnapshotAndMapping_AllOnTheLoop"/>). After: the loop only copies raw counters
/// (<see cref="RawCapture_OnTheLoop"/>); the rest runs on the thread pool
/// (<see cref="RecordsAndMapping_OffTheLoop"/>).
/// </summary>
[MemoryDiagnoser]
public class MetricsQueryBenchmarks
{
    private const int Clusters = 1_000;
    private const int BackendsPerCluster = 3;

    private readonly MetricsCapture _capture = new();
    private ProxyWorker _worker = null!;

    [GlobalSetup]
    public void Setup()
    {
        _worker = ProxyWorker.Create(new ProxyWorkerOptions { MaxBuffers = 16 });
        var random = new Random(1);
        for (var c = 0; c < Clusters; c++)
        {
            var clusterId = "cluster-" + c;
            Check(_worker.Apply(new AddCluster(new Cluster { ClusterId = clusterId })));
            for (var b = 0; b < BackendsPerCluster; b++)
            {
                Check(_worker.Apply(new AddBackend(new Backend { ClusterId = clusterId, BackendId = $"{clusterId}-{b}", Address = $"127.0.0.1:{10_000 + (c * BackendsPerCluster) + b}" })));
            }
        }
        foreach (var cluster in _worker.Core.Clusters.Values)
        {
            foreach (var backend in cluster.Backends)
            {
                for (var i = 0; i < 50; i++)
                {
                    // 100 µs to 1 s, log-uniform.
                    var micros = (long)Math.Pow(10, 2 + (4 * random.NextDouble()));
                    backend.Latency.ConnectTime.Record(micros / 4);
                    backend.Latency.ResponseTime.Record(micros);
                    backend.Latency.RequestTime.Record(micros * 2);
                    cluster.Latency.ResponseTime.Record(micros);
                    cluster.Latency.RequestTime.Record(micros * 2);
                    backend.Traffic.Requests++;
                    cluster.Traffic.Requests++;
                }
            }
        }
        _worker.CaptureMetrics(_capture);
    }

    [GlobalCleanup]
    public void Cleanup() => _worker.Dispose();

    [Benchmark(Baseline = true)]
    public MetricsContent SnapshotAndMapping_AllOnTheLoop() => MetricsMapping.FromSnapshot(_worker.QueryMetrics());

    [Benchmark]
    public MetricsCapture RawCapture_OnTheLoop()
    {
        _worker.CaptureMetrics(_capture);
        return _capture;
    }

    [Benchmark]
    public MetricsContent RecordsAndMapping_OffTheLoop() => MetricsMapping.FromSnapshot(_capture.ToSnapshot());

    private static void Check(ApplyResult result)
    {
        if (!result.Ok)
        {
            throw new InvalidOperationException(result.Error);
        }
    }
}
