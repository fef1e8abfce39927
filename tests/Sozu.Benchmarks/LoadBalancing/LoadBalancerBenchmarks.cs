using BenchmarkDotNet.Attributes;
using Sozu.Messages.Config;
using Sozu.Net.Backends;
using Sozu.Net.LoadBalancing;
using Sozu.Net.Sockets;

namespace Sozu.Benchmarks.LoadBalancing;

/// <summary>
/// One pick among 1,000 backends per cluster, per algorithm: what every request pays before it
/// connects. Weights differ (1..10) except for the uniform round robin; loads differ so the
/// load-based algorithms have something to compare; one backend in ten is down.
/// </summary>
[MemoryDiagnoser]
public class LoadBalancerBenchmarks
{
    private const int Backends = 1_000;

    private readonly List<BackendRuntime> _uniform = [];
    private readonly List<BackendRuntime> _weighted = [];
    private readonly SmoothWeightedRoundRobin _roundRobinUniform = new();
    private readonly SmoothWeightedRoundRobin _roundRobinWeighted = new();
    private readonly WeightedRandom _random = new(new FastRandom(1));
    private readonly LeastLoaded _leastConnections = new(LoadMetric.Connections);
    private readonly LeastLoaded _leastTime = new(LoadMetric.ConnectionTime);
    private readonly PowerOfTwoChoices _powerOfTwo = new(LoadMetric.Connections, new FastRandom(2));

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < Backends; i++)
        {
            _uniform.Add(Create(i, 100));
            var weighted = Create(i, 1 + (i % 10));
            weighted.ActiveConnections = (i * 7919) % 37;
            weighted.RecordResponseTime(1 + (i % 50), 0);
            if (i % 10 == 3)
            {
                for (var f = 0; f < BackendRuntime.FailuresBeforeDown; f++)
                {
                    weighted.RecordFailure(long.MaxValue / 4);
                }
            }
            _weighted.Add(weighted);
        }
        _roundRobinUniform.Rebuild(_uniform);
        _roundRobinWeighted.Rebuild(_weighted);
        _random.Rebuild(_weighted);
        _leastConnections.Rebuild(_weighted);
        _leastTime.Rebuild(_weighted);
        _powerOfTwo.Rebuild(_weighted);
    }

    private static BackendRuntime Create(int index, int weight)
    {
        var address = $"10.0.{index / 250}.{index % 250}:8080";
        if (!NativeAddress.TryParse(address, out var parsed, out var error))
        {
            throw new InvalidOperationException(error);
        }
        return new BackendRuntime(new Backend { ClusterId = "bench", BackendId = $"b{index}", Address = address, Weight = weight }, parsed);
    }

    [Benchmark(Baseline = true)]
    public object? RoundRobinEqualWeights() => _roundRobinUniform.Pick(_uniform, 0, null);

    [Benchmark]
    public object? RoundRobinWeighted() => _roundRobinWeighted.Pick(_weighted, 0, null);

    [Benchmark]
    public object? RandomWeighted() => _random.Pick(_weighted, 0, null);

    [Benchmark]
    public object? LeastLoadedConnections() => _leastConnections.Pick(_weighted, 0, null);

    [Benchmark]
    public object? LeastLoadedConnectionTime() => _leastTime.Pick(_weighted, 0, null);

    [Benchmark]
    public object? PowerOfTwo() => _powerOfTwo.Pick(_weighted, 0, null);
}
