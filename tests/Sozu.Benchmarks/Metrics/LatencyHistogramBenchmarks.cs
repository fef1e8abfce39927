using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Sozu.Messages.Answers;
using Sozu.Net.Metrics;

namespace Sozu.Benchmarks.Metrics;

/// <summary>
/// What the time histograms cost. On the loop: per request, four samples (response head and
/// response end, each for the cluster and the backend), plus one clock read per wake-up. Off
/// the loop: a snapshot per query, a merge per worker in the supervisor.
/// </summary>
[MemoryDiagnoser]
public class LatencyHistogramBenchmarks
{
    private readonly LatencyCounters _cluster = new();
    private readonly LatencyCounters _backend = new();
    private readonly long[] _samples = new long[1024];
    private int _next;
    private TimeHistogram _a = TimeHistogram.Empty;
    private TimeHistogram _b = TimeHistogram.Empty;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        for (var i = 0; i < _samples.Length; i++)
        {
            // 100 µs to 1 s, log-uniform: every octave of a real latency spread is touched.
            _samples[i] = (long)Math.Pow(10, 2 + (4 * random.NextDouble()));
        }
        foreach (var sample in _samples)
        {
            _cluster.ResponseTime.Record(sample);
            _backend.ResponseTime.Record(sample / 2);
        }
        _a = _cluster.ResponseTime.Snapshot();
        _b = _backend.ResponseTime.Snapshot();
    }

    /// <summary>The per-request work the histograms add to an HTTP exchange on the loop thread.</summary>
    [Benchmark(Baseline = true)]
    public void RecordOneRequest()
    {
        var response = _samples[_next++ & 1023];
        var end = response + 150;
        _cluster.ResponseTime.Record(response);
        _backend.ResponseTime.Record(response);
        _cluster.RequestTime.Record(end);
        _backend.RequestTime.Record(end);
    }

    /// <summary>The loop's microsecond clock, read once per epoll wake-up.</summary>
    [Benchmark]
    public long ReadLoopClock() => (long)(Stopwatch.GetTimestamp() * (1_000_000.0 / Stopwatch.Frequency));

    [Benchmark]
    public TimeHistogram Snapshot() => _cluster.ResponseTime.Snapshot();

    [Benchmark]
    public TimeHistogram MergeTwoWorkers() => _a.Plus(_b);
}
