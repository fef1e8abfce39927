using Sozu.Messages.Answers;
using Xunit;

namespace Sozu.Messages.Tests.Answers;

public sealed class TimeHistogramTests
{
    private static TimeHistogram Of(IEnumerable<long> samples)
    {
        var counts = new long[TimeBuckets.Count];
        var sum = 0L;
        foreach (var sample in samples)
        {
            counts[TimeBuckets.IndexOf(sample)]++;
            sum += sample;
        }
        return TimeHistogram.FromCounts(counts, sum);
    }

    /// <summary>Log-uniform between 10 µs and 10 s, as latencies spread.</summary>
    private static long[] Samples(int seed, int count)
    {
        var random = new Random(seed);
        var samples = new long[count];
        for (var i = 0; i < count; i++)
        {
            samples[i] = (long)Math.Pow(10, 1 + (6 * random.NextDouble()));
        }
        return samples;
    }

    private static long Exact(long[] sorted, double quantile) =>
        sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length), 1, sorted.Length) - 1];

    [Fact]
    public void Buckets_CoverEveryValueOnce_AndAreAtMostAnEighthWide()
    {
        var previous = -1L;
        for (var i = 0; i < TimeBuckets.Overflow; i++)
        {
            var upper = TimeBuckets.UpperBound(i);
            Assert.True(upper > previous, $"bucket {i}: {upper} after {previous}");
            Assert.Equal(i, TimeBuckets.IndexOf(upper));
            Assert.Equal(i + 1, TimeBuckets.IndexOf(upper + 1));
            var width = upper - TimeBuckets.LowerBound(i);
            Assert.True(width <= Math.Max(1, TimeBuckets.LowerBound(i) / 8), $"bucket {i} is {width} µs wide");
            previous = upper;
        }
        Assert.Equal(TimeBuckets.MaxTrackedMicros, TimeBuckets.UpperBound(TimeBuckets.Overflow - 1));
        Assert.Equal(TimeBuckets.Overflow, TimeBuckets.IndexOf(long.MaxValue));
        Assert.Equal(0, TimeBuckets.IndexOf(-5));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Percentiles_AreWithinTheBucketErrorOfTheExactOnes(int seed)
    {
        var samples = Samples(seed, 10_000);
        var histogram = Of(samples);
        Array.Sort(samples);
        Assert.Equal(samples.Length, histogram.Count);
        Assert.Equal(samples.Sum(), histogram.SumMicros);
        foreach (var (quantile, value) in new[] { (0.5, histogram.P50Micros), (0.9, histogram.P90Micros), (0.99, histogram.P99Micros), (0.999, histogram.P999Micros) })
        {
            var exact = Exact(samples, quantile);
            Assert.True(Math.Abs(value - exact) <= Math.Max(1, exact / 8), $"p{quantile * 100}: {value} µs for an exact {exact} µs");
            Assert.Equal(value, histogram.Percentile(quantile));
        }
    }

    [Fact]
    public void Plus_IsTheHistogramOfBothSampleSets()
    {
        var a = Samples(10, 3_000);
        var b = Samples(11, 500);
        var merged = Of(a).Plus(Of(b));
        Assert.Equal(Of(a.Concat(b)), merged);
        Assert.Equal(merged, Of(b).Plus(Of(a)));
        Assert.Equal(Of(a), Of(a).Plus(TimeHistogram.Empty));
        Assert.Equal(Of(a), TimeHistogram.Empty.Plus(Of(a)));
    }

    [Fact]
    public void ASingleSampleIsItsOwnPercentile_WithinItsBucket()
    {
        var histogram = Of([1_000]);
        var only = Assert.Single(histogram.Buckets);
        Assert.Equal(1, only.Count);
        Assert.Equal(1_024, only.LeMicros);
        Assert.InRange(histogram.P50Micros, 961, 1_024);
        Assert.Equal(histogram.P50Micros, histogram.P999Micros);
    }

    [Fact]
    public void SamplesPastTheLastBound_GoToTheOverflowBucket_AndReadAsAtLeastIt()
    {
        var histogram = Of([100, TimeBuckets.MaxTrackedMicros + 1, 10 * TimeBuckets.MaxTrackedMicros]);
        Assert.Equal(2, histogram.Buckets[^1].Count);
        Assert.Equal(TimeBuckets.InfiniteMicros, histogram.Buckets[^1].LeMicros);
        Assert.Equal(TimeBuckets.MaxTrackedMicros, histogram.P99Micros);
    }

    [Fact]
    public void Empty_HasNoBucketsAndZeroPercentiles()
    {
        Assert.Equal(TimeHistogram.Empty, TimeHistogram.FromCounts(new long[TimeBuckets.Count], 0));
        Assert.Equal(0, TimeHistogram.Empty.Percentile(0.99));
        Assert.Throws<ArgumentException>(() => TimeHistogram.FromCounts(new long[3], 0));
    }
}
