using Sozu.Messages.Config;
using Sozu.Net.Backends;
using Sozu.Net.LoadBalancing;
using Xunit;

namespace Sozu.Net.Tests.LoadBalancing;

public class PowerOfTwoChoicesTests
{
    private static List<BackendRuntime> LoadedBackends(int count, ulong seed)
    {
        var backends = TestBackends.WithWeights(Enumerable.Repeat(1, count).ToArray());
        var random = new FastRandom(seed);
        // Distinct loads, in shuffled order.
        var loads = Enumerable.Range(0, count).OrderBy(_ => random.Next()).ToArray();
        for (var i = 0; i < count; i++)
        {
            backends[i].ActiveConnections = loads[i];
        }
        return backends;
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void Pick_NeverTheBusierOfItsTwoCandidates(ulong seed)
    {
        var backends = LoadedBackends(20, seed);
        // Same seed: the drawing instance sees exactly the candidates the picking instance compares.
        var drawing = new PowerOfTwoChoices(LoadMetric.Connections, new FastRandom(seed));
        var picking = new PowerOfTwoChoices(LoadMetric.Connections, new FastRandom(seed));
        drawing.Rebuild(backends);
        picking.Rebuild(backends);
        for (var i = 0; i < 5_000; i++)
        {
            drawing.DrawCandidates(backends, 0, null, out var first, out var second);
            var picked = picking.Pick(backends, 0, null);
            Assert.NotNull(first);
            Assert.NotNull(second);
            Assert.NotSame(first, second);
            var lesser = first!.ActiveConnections <= second!.ActiveConnections ? first : second;
            Assert.Same(lesser, picked);
        }
    }

    [Fact]
    public void Pick_TheBusiestBackend_IsNeverPicked_AndTheIdlestMostOften()
    {
        var backends = LoadedBackends(10, 11);
        var counts = TestBackends.Count(new PowerOfTwoChoices(LoadMetric.Connections, new FastRandom(11)), backends, 10_000);
        var busiest = backends.FindIndex(b => b.ActiveConnections == 9);
        var idlest = backends.FindIndex(b => b.ActiveConnections == 0);
        Assert.Equal(0, counts[busiest]);
        Assert.Equal(counts.Max(), counts[idlest]);
        // The idlest wins whenever it is drawn: about 1 - (9/10)·(8/9) = 20% of picks.
        Assert.InRange(counts[idlest], 1_600, 2_400);
    }

    [Fact]
    public void Pick_EqualLoads_FollowsTheWeights()
    {
        int[] weights = [1, 3];
        var counts = TestBackends.Count(new PowerOfTwoChoices(LoadMetric.Requests, new FastRandom(8)), TestBackends.WithWeights(weights), 20_000);
        // Equal loads (idle): the first draw wins, so the shares are the weighted random ones.
        WeightedRandomTests.AssertShares(counts, weights);
    }
}
