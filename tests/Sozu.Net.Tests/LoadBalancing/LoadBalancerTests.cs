using Sozu.Messages.Config;
using Sozu.Net.Backends;
using Sozu.Net.LoadBalancing;
using Sozu.Net.Sockets;
using Xunit;

namespace Sozu.Net.Tests.LoadBalancing;

public class LoadBalancerTests
{
    private static List<BackendRuntime> Backends(params (int Weight, bool Backup)[] specs)
    {
        Assert.True(ClusterRuntime.TryCreate(new Cluster { ClusterId = "c" }, out var cluster, out _));
        var list = new List<BackendRuntime>();
        for (var i = 0; i < specs.Length; i++)
        {
            var address = $"127.0.0.1:{9000 + i}";
            Assert.True(NativeAddress.TryParse(address, out var native, out _));
            list.Add(new BackendRuntime(new Backend { ClusterId = "c", BackendId = $"b{i}", Address = address, Weight = specs[i].Weight, Backup = specs[i].Backup }, native, cluster));
        }
        return list;
    }

    private static void MarkDown(BackendRuntime backend)
    {
        for (var i = 0; i < BackendRuntime.FailuresBeforeDown; i++)
        {
            backend.RecordConnectFailure(0);
        }
    }

    [Fact]
    public void RoundRobin_CyclesThroughPrimaries_SkippingDownOnes()
    {
        var backends = Backends((100, false), (100, false), (100, false));
        MarkDown(backends[1]);
        var balancer = new RoundRobin();

        var picks = Enumerable.Range(0, 4).Select(_ => balancer.Pick(backends, 10, null)!.Config.BackendId).ToList();
        Assert.Equal(["b0", "b2", "b0", "b2"], picks);
    }

    [Fact]
    public void EveryAlgorithm_UsesBackupsOnlyWhenNoPrimaryIsAvailable()
    {
        foreach (var algorithm in Enum.GetValues<LoadBalancingAlgorithm>())
        {
            var backends = Backends((100, false), (100, true));
            var balancer = LoadBalancerFactory.Create(algorithm);
            for (var i = 0; i < 10; i++)
            {
                Assert.Equal("b0", balancer.Pick(backends, 10, null)!.Config.BackendId);
            }
            MarkDown(backends[0]);
            Assert.Equal("b1", balancer.Pick(backends, 10, null)!.Config.BackendId);
            MarkDown(backends[1]);
            Assert.Null(balancer.Pick(backends, 10, null));
        }
    }

    [Fact]
    public void EveryAlgorithm_HonoursTheExcludedBackend()
    {
        foreach (var algorithm in Enum.GetValues<LoadBalancingAlgorithm>())
        {
            var backends = Backends((100, false), (100, false));
            var balancer = LoadBalancerFactory.Create(algorithm);
            for (var i = 0; i < 10; i++)
            {
                Assert.Same(backends[1], balancer.Pick(backends, 0, backends[0]));
            }
        }
    }

    [Fact]
    public void WeightedRandom_FollowsWeights()
    {
        var backends = Backends((300, false), (100, false));
        var balancer = new WeightedRandom(new Random(1));
        var heavy = Enumerable.Range(0, 4000).Count(_ => balancer.Pick(backends, 0, null) == backends[0]);
        Assert.InRange(heavy, 2800, 3200);
    }

    [Fact]
    public void LeastLoaded_PicksFewestConnectionsPerWeight()
    {
        var backends = Backends((100, false), (100, false), (200, false));
        backends[0].ActiveConnections = 5;
        backends[1].ActiveConnections = 3;
        backends[2].ActiveConnections = 5;
        Assert.Same(backends[2], new LeastLoaded().Pick(backends, 0, null));
        backends[2].ActiveConnections = 8;
        Assert.Same(backends[1], new LeastLoaded().Pick(backends, 0, null));
    }

    [Fact]
    public void PowerOfTwo_WithTwoBackends_AlwaysPicksTheLessLoaded()
    {
        var backends = Backends((100, false), (100, false));
        backends[0].ActiveConnections = 7;
        backends[1].ActiveConnections = 2;
        var balancer = new PowerOfTwo(new Random(3));
        for (var i = 0; i < 20; i++)
        {
            Assert.Same(backends[1], balancer.Pick(backends, 0, null));
        }
    }
}
