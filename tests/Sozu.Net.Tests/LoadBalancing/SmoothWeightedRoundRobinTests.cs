using Sozu.Net.LoadBalancing;
using Xunit;

namespace Sozu.Net.Tests.LoadBalancing;

public class SmoothWeightedRoundRobinTests
{
    [Fact]
    public void Pick_EqualWeights_RotatesInOrder()
    {
        var backends = TestBackends.WithWeights(100, 100, 100, 100);
        var balancer = new SmoothWeightedRoundRobin();
        balancer.Rebuild(backends);
        for (var i = 0; i < 1_000; i++)
        {
            Assert.Same(backends[i % 4], balancer.Pick(backends, 0, null));
        }
    }

    [Fact]
    public void Pick_UnequalWeights_SpreadsEachCycleSmoothly()
    {
        var backends = TestBackends.WithWeights(5, 1, 1);
        var balancer = new SmoothWeightedRoundRobin();
        balancer.Rebuild(backends);
        var sequence = "";
        for (var i = 0; i < 14; i++)
        {
            sequence += (char)('a' + backends.IndexOf(balancer.Pick(backends, 0, null)!));
        }
        // nginx's smooth weighted round robin: the heavy backend is interleaved, never five in a row.
        Assert.Equal("aabacaaaabacaa", sequence);
    }

    [Fact]
    public void Pick_Weights_ExactSharesOverWholeCycles()
    {
        var counts = TestBackends.Count(new SmoothWeightedRoundRobin(), TestBackends.WithWeights(1, 2, 3, 4), 1_000);
        Assert.Equal([100, 200, 300, 400], counts);
    }

    [Fact]
    public void Pick_DownBackend_IsSkipped_AndReturnsAfterItsBackOff()
    {
        var backends = TestBackends.WithWeights(1, 1, 1);
        TestBackends.MarkDown(backends[1], nowMs: 0);
        var whileDown = TestBackends.Count(new SmoothWeightedRoundRobin(), backends, 100, nowMs: 500);
        Assert.Equal([50, 0, 50], whileDown);
        var afterBackOff = TestBackends.Count(new SmoothWeightedRoundRobin(), backends, 99, nowMs: 1_000);
        Assert.Equal([33, 33, 33], afterBackOff);
    }

    [Fact]
    public void Pick_Exclude_IsNeverReturned()
    {
        var backends = TestBackends.WithWeights(3, 1);
        var balancer = new SmoothWeightedRoundRobin();
        balancer.Rebuild(backends);
        for (var i = 0; i < 20; i++)
        {
            Assert.Same(backends[1], balancer.Pick(backends, 0, backends[0]));
        }
    }
}
