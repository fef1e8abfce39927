using Sozu.Net.LoadBalancing;
using Xunit;

namespace Sozu.Net.Tests.LoadBalancing;

public class WeightedRandomTests
{
    /// <summary>
    /// Each count is binomial(n, p): within 5 standard deviations of n·p the test fails by
    /// chance about once in 1.7 million runs, while a weight ignored or swapped misses by dozens.
    /// </summary>
    internal static void AssertShares(int[] counts, int[] weights)
    {
        double total = weights.Sum();
        var picks = counts.Sum();
        for (var i = 0; i < counts.Length; i++)
        {
            var p = weights[i] / total;
            var sigma = Math.Sqrt(picks * p * (1 - p));
            Assert.InRange(counts[i], (picks * p) - (5 * sigma), (picks * p) + (5 * sigma));
        }
    }

    [Theory]
    [InlineData(42UL)]
    [InlineData(7UL)]
    public void Pick_SharesFollowWeights(ulong seed)
    {
        int[] weights = [1, 2, 3, 4];
        var counts = TestBackends.Count(new WeightedRandom(new FastRandom(seed)), TestBackends.WithWeights(weights), 100_000);
        AssertShares(counts, weights);
    }

    [Fact]
    public void Pick_DownBackend_RemainingSharesStayProportional()
    {
        var backends = TestBackends.WithWeights(10, 90, 30);
        TestBackends.MarkDown(backends[1], 0);
        var counts = TestBackends.Count(new WeightedRandom(new FastRandom(3)), backends, 40_000, nowMs: 10);
        Assert.Equal(0, counts[1]);
        AssertShares([counts[0], counts[2]], [10, 30]);
    }

    [Fact]
    public void Pick_MostOfTheTierDown_StillFindsTheLastOne()
    {
        var weights = Enumerable.Repeat(100, 1_000).ToArray();
        var backends = TestBackends.WithWeights(weights);
        for (var i = 0; i < backends.Count - 1; i++)
        {
            TestBackends.MarkDown(backends[i], 0);
        }
        var counts = TestBackends.Count(new WeightedRandom(new FastRandom(5)), backends, 100, nowMs: 10);
        Assert.Equal(100, counts[^1]);
    }

    [Fact]
    public void FastRandom_SameSeed_SameSequence()
    {
        var a = new FastRandom(99);
        var b = new FastRandom(99);
        for (var i = 0; i < 100; i++)
        {
            var x = a.NextBelow(1_000);
            Assert.Equal(x, b.NextBelow(1_000));
            Assert.InRange(x, 0, 999);
        }
    }
}
