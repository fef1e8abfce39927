using Sozu.Messages.Config;
using Sozu.Net.Backends;
using Sozu.Net.Tests.LoadBalancing;
using Xunit;

namespace Sozu.Net.Tests.Backends;

public class ClusterRuntimeTests
{
    private static ClusterRuntime Cluster(LoadBalancingAlgorithm algorithm, params BackendRuntime[] backends)
    {
        Assert.True(ClusterRuntime.TryCreate(new Cluster { ClusterId = "c", LoadBalancing = algorithm }, out var cluster, out var error), error);
        foreach (var backend in backends)
        {
            cluster.Add(backend);
        }
        return cluster;
    }

    [Fact]
    public void Pick_DownBackendAfterItsBackOff_GetsOneRetryRequest_NotABurst()
    {
        var down = TestBackends.Create(0);
        var up = TestBackends.Create(1);
        var cluster = Cluster(LoadBalancingAlgorithm.RoundRobin, down, up);
        TestBackends.MarkDown(down, 0);

        var picks = Enumerable.Range(0, 20).Select(_ => cluster.Pick(1_000)).ToList();
        Assert.Single(picks, p => p == down);

        // The retry failed: a longer back-off (2 s) from now.
        down.RecordFailure(1_100);
        Assert.DoesNotContain(down, Enumerable.Range(0, 20).Select(_ => cluster.Pick(3_000)));
        Assert.Contains(down, Enumerable.Range(0, 20).Select(_ => cluster.Pick(3_100)));
    }

    [Fact]
    public void RecordFailure_BackOffDoubles_UpToItsCap_AndASuccessBringsItUp()
    {
        var backend = TestBackends.Create(0);
        Assert.False(backend.RecordFailure(0));
        Assert.False(backend.RecordFailure(0));
        Assert.True(backend.RecordFailure(0));
        Assert.Equal(1_000, backend.RetryAtMs);
        Assert.False(backend.RecordFailure(10_000));
        Assert.Equal(12_000, backend.RetryAtMs);
        for (var i = 0; i < 20; i++)
        {
            backend.RecordFailure(100_000);
        }
        Assert.Equal(100_000 + BackendRuntime.MaxBackOffMs, backend.RetryAtMs);
        Assert.True(backend.RecordSuccess());
        Assert.False(backend.Down);
        Assert.True(backend.IsAvailable(0));
    }

    [Fact]
    public void HealthCheckVerdict_OverridesTheBackOff_UntilHealthyAgain()
    {
        var backend = TestBackends.Create(0);
        Assert.True(backend.MarkUnhealthy());
        Assert.False(backend.IsAvailable(long.MaxValue / 2));
        // A late passive success (an exchange started before) does not overrule the check.
        Assert.False(backend.RecordSuccess());
        Assert.True(backend.Down);
        Assert.True(backend.MarkHealthy());
        Assert.True(backend.IsAvailable(0));
    }

    [Fact]
    public void TryUpdate_NewAlgorithm_ReplacesTheBalancer_KeepsTheBackends()
    {
        var cluster = Cluster(LoadBalancingAlgorithm.RoundRobin, TestBackends.Create(0), TestBackends.Create(1));
        Assert.True(cluster.TryUpdate(new Cluster { ClusterId = "c", LoadBalancing = LoadBalancingAlgorithm.LeastLoaded, LoadMetric = LoadMetric.Requests }, out _));
        var balancer = Assert.IsType<Sozu.Net.LoadBalancing.LeastLoaded>(cluster.Balancer);
        Assert.Equal(LoadMetric.Requests, balancer.Metric);
        Assert.Equal(2, cluster.Backends.Count);
        Assert.NotNull(cluster.Pick(0));
    }
}
