using System.Numerics;

namespace Sozu.Messages.Answers;

/// <summary>
/// The one bucket layout of every time histogram, in microseconds, shared by the workers that
/// record and the supervisor that merges: log-linear, one bucket per microsecond up to 16 µs,
/// then eight buckets per power of two up to 2^26 µs (67 s), then one overflow bucket.
/// A bucket is at most 1/8 of its lower bound wide, so a percentile read from the buckets is
/// within 12.5 % of the true value. 193 buckets: 1.5 KB of counters per histogram.
/// </summary>
/// <remarks>
/// Bucket <c>i</c> holds the samples <c>v</c> with <c>UpperBound(i - 1) &lt; v &lt;= UpperBound(i)</c>,
/// the inclusive upper bound Prometheus calls <c>le</c>; every power of two from 16 µs to
/// 2^26 µs is a bound, so exposition buckets picked among them are exact.
/// </remarks>
public static class TimeBuckets
{
    private const int SubBucketBits = 3;
    private const int SubBuckets = 1 << SubBucketBits;

    // Below this (in v - 1), one bucket per microsecond.
    private const int LinearLimit = 2 * SubBuckets;

    // The highest power of two with buckets of its own: samples up to 2^(TopExponent + 1) µs.
    private const int TopExponent = 25;

    /// <summary>The index of the overflow bucket (samples above <see cref="MaxTrackedMicros"/>).</summary>
    public const int Overflow = LinearLimit + ((TopExponent - SubBucketBits) * SubBuckets);

    public const int Count = Overflow + 1;

    /// <summary>The largest finite upper bound: 2^26 µs, about 67 s.</summary>
    public const long MaxTrackedMicros = 1L << (TopExponent + 1);

    /// <summary>The upper bound reported for the overflow bucket (+Inf).</summary>
    public const long InfiniteMicros = long.MaxValue;

    /// <summary>The bucket of a sample; negative samples (a clock step) count as 0.</summary>
    public static int IndexOf(long micros)
    {
        var w = micros <= 1 ? 0 : micros - 1;
        if (w < LinearLimit)
        {
            return (int)w;
        }
        var exponent = 63 - BitOperations.LeadingZeroCount((ulong)w);
        if (exponent > TopExponent)
        {
            return Overflow;
        }
        var sub = (int)(w >> (exponent - SubBucketBits)) & (SubBuckets - 1);
        return LinearLimit + ((exponent - SubBucketBits - 1) * SubBuckets) + sub;
    }

    /// <summary>The largest sample of bucket <paramref name="index"/> (inclusive); <see cref="InfiniteMicros"/> for the overflow.</summary>
    public static long UpperBound(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, Overflow);
        if (index < LinearLimit)
        {
            return index + 1;
        }
        if (index == Overflow)
        {
            return InfiniteMicros;
        }
        var k = index - LinearLimit;
        var exponent = (k / SubBuckets) + SubBucketBits + 1;
        var sub = k % SubBuckets;
        return (long)(SubBuckets + 1 + sub) << (exponent - SubBucketBits);
    }

    /// <summary>The bound below bucket <paramref name="index"/> (exclusive; 0 for the first bucket).</summary>
    public static long LowerBound(int index) => index == 0 ? 0 : UpperBound(index - 1);
}
