using Sozu.Messages.Config;
using Sozu.Net.LoadBalancing;
using Xunit;

namespace Sozu.Net.Tests.LoadBalancing;

public class PickAllocationTests
{
    public static TheoryData<LoadBalancingAlgorithm, LoadMetric> Balancers => new()
    {
        { LoadBalancingAlgorithm.RoundRobin, LoadMetric.Connections },
        { LoadBalancingAlgorithm.Random, LoadMetric.Connections },
        { LoadBalancingAlgorithm.LeastLoaded, LoadMetric.Connections },
        { LoadBalancingAlgorithm.LeastLoaded, LoadMetric.Requests },
        { LoadBalancingAlgorithm.LeastLoaded, LoadMetric.ConnectionTime },
        { LoadBalancingAlgorithm.PowerOfTwo, LoadMetric.ConnectionTime },
    };

    [Theory]
    [MemberData(nameof(Balancers))]
    public void Pick_AmongAThousandWeightedBackendsSomeDown_AllocatesNothing(LoadBalancingAlgorithm algorithm, LoadMetric metric)
    {
        var backends = TestBackends.WithWeights(Enumerable.Range(0, 1_000).Select(i => 1 + (i % 7)).ToArray());
        for (var i = 0; i < backends.Count; i += 10)
        {
            TestBackends.MarkDown(backends[i], 0);
            backends[i + 1].ActiveConnections = i % 5;
        }
        var balancer = LoadBalancerFactory.Create(algorithm, metric);
        balancer.Rebuild(backends);
        for (var i = 0; i < 1_000; i++)
        {
            balancer.Pick(backends, 10, backends[5]);
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            Assert.NotNull(balancer.Pick(backends, 10, backends[5]));
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
