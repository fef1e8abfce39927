using Sozu.Messages.Config;
using Sozu.Net.Backends;
using Sozu.Net.LoadBalancing;
using Xunit;

namespace Sozu.Net.Tests.LoadBalancing;

/// <summary>The rules every algorithm keeps: weight 0, backups, nothing available.</summary>
public class BalancerRulesTests
{
    public static TheoryData<LoadBalancingAlgorithm> Algorithms =>
        [LoadBalancingAlgorithm.RoundRobin, LoadBalancingAlgorithm.Random, LoadBalancingAlgorithm.LeastLoaded, LoadBalancingAlgorithm.PowerOfTwo];

    private static ILoadBalancer Create(LoadBalancingAlgorithm algorithm) => LoadBalancerFactory.Create(algorithm, LoadMetric.Connections);

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Pick_WeightZero_NeverChosenWhileAPositiveWeightIsAvailable(LoadBalancingAlgorithm algorithm)
    {
        var counts = TestBackends.Count(Create(algorithm), TestBackends.WithWeights(0, 100, 0, 50), 2_000);
        Assert.Equal(0, counts[0]);
        Assert.Equal(0, counts[2]);
        Assert.Equal(2_000, counts[1] + counts[3]);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Pick_AllWeightsZero_ShareTheTraffic(LoadBalancingAlgorithm algorithm)
    {
        var counts = TestBackends.Count(Create(algorithm), TestBackends.WithWeights(0, 0, 0), 3_000);
        Assert.All(counts, count => Assert.InRange(count, 700, 1_300));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Pick_Backup_OnlyWhenNoPrimaryIsAvailable(LoadBalancingAlgorithm algorithm)
    {
        var primary1 = TestBackends.Create(0);
        var backup = TestBackends.Create(1, backup: true);
        var primary2 = TestBackends.Create(2);
        var backends = new List<BackendRuntime> { primary1, backup, primary2 };
        var balancer = Create(algorithm);
        balancer.Rebuild(backends);
        for (var i = 0; i < 200; i++)
        {
            Assert.NotSame(backup, balancer.Pick(backends, 0, null));
        }

        TestBackends.MarkDown(primary1, 0);
        Assert.Same(backup, balancer.Pick(backends, 0, primary2));
        TestBackends.MarkDown(primary2, 0);
        for (var i = 0; i < 50; i++)
        {
            Assert.Same(backup, balancer.Pick(backends, 10, null));
        }

        primary2.RecordSuccess();
        for (var i = 0; i < 50; i++)
        {
            Assert.Same(primary2, balancer.Pick(backends, 10, null));
        }
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Pick_NothingAvailable_ReturnsNull(LoadBalancingAlgorithm algorithm)
    {
        var backends = TestBackends.WithWeights(1, 1);
        var balancer = Create(algorithm);
        balancer.Rebuild(backends);
        TestBackends.MarkDown(backends[0], 0);
        backends[1].Removed = true;
        Assert.Null(balancer.Pick(backends, 10, null));
        Assert.Null(balancer.Pick([], 10, null));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Pick_HeldDownByHealthCheck_IgnoresTheBackOff(LoadBalancingAlgorithm algorithm)
    {
        var backends = TestBackends.WithWeights(1, 1);
        var balancer = Create(algorithm);
        balancer.Rebuild(backends);
        backends[0].MarkUnhealthy();
        for (var i = 0; i < 50; i++)
        {
            Assert.Same(backends[1], balancer.Pick(backends, long.MaxValue / 2, null));
        }
    }
}
