using Sozu.Messages.Collections;

namespace Sozu.Messages.Answers;

/// <summary>
/// Durations in the fixed layout of <see cref="TimeBuckets"/>: how many, their sum, the usual
/// percentiles (read from the buckets, within their 12.5 % width) and the non-empty buckets, so
/// histograms of several workers merge exactly (<see cref="Plus"/>) and percentiles of the sum
/// are computed again, never averaged.
/// </summary>
public sealed record TimeHistogram(
    long Count,
    long SumMicros,
    long P50Micros,
    long P90Micros,
    long P99Micros,
    long P999Micros,
    ValueList<TimeBucket> Buckets)
{
    public static readonly TimeHistogram Empty = new(0, 0, 0, 0, 0, 0, ValueList<TimeBucket>.Empty);

    /// <summary>From dense counts indexed as <see cref="TimeBuckets"/> (a worker's recorder).</summary>
    public static TimeHistogram FromCounts(ReadOnlySpan<long> counts, long sumMicros)
    {
        if (counts.Length != TimeBuckets.Count)
        {
            throw new ArgumentException($"expected {TimeBuckets.Count} bucket counts, got {counts.Length}", nameof(counts));
        }
        var total = 0L;
        var nonEmpty = 0;
        foreach (var count in counts)
        {
            total += count;
            nonEmpty += count > 0 ? 1 : 0;
        }
        if (total == 0)
        {
            return Empty;
        }
        var buckets = new TimeBucket[nonEmpty];
        var next = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] > 0)
            {
                buckets[next++] = new TimeBucket(TimeBuckets.UpperBound(i), counts[i]);
            }
        }
        return Build(counts, total, sumMicros, ValueList<TimeBucket>.From(buckets));
    }

    /// <summary>The sum of two histograms: counts added bucket by bucket, percentiles recomputed.</summary>
    public TimeHistogram Plus(TimeHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Count == 0)
        {
            return this;
        }
        if (Count == 0)
        {
            return other;
        }
        Span<long> counts = stackalloc long[TimeBuckets.Count];
        AddTo(counts);
        other.AddTo(counts);
        return FromCounts(counts, SumMicros + other.SumMicros);
    }

    /// <summary>The value below which a fraction <paramref name="quantile"/> of the samples fall, interpolated in its bucket.</summary>
    public long Percentile(double quantile)
    {
        Span<long> counts = stackalloc long[TimeBuckets.Count];
        AddTo(counts);
        return Percentile(counts, Count, quantile);
    }

    /// <summary>Adds this histogram's bucket counts into dense <paramref name="counts"/>.</summary>
    public void AddTo(Span<long> counts)
    {
        foreach (var bucket in Buckets)
        {
            counts[TimeBuckets.IndexOf(bucket.LeMicros)] += bucket.Count;
        }
    }

    private static readonly double[] Quantiles = [0.5, 0.9, 0.99, 0.999];

    private static TimeHistogram Build(ReadOnlySpan<long> counts, long total, long sumMicros, ValueList<TimeBucket> buckets)
    {
        // The four in one walk over the buckets: this runs on a worker's loop thread for every query.
        Span<long> values = stackalloc long[Quantiles.Length];
        var next = 0;
        var before = 0L;
        for (var i = 0; i < counts.Length && next < Quantiles.Length; i++)
        {
            while (next < Quantiles.Length && before + counts[i] >= Rank(Quantiles[next], total))
            {
                values[next] = Interpolate(i, counts[i], Rank(Quantiles[next], total) - before);
                next++;
            }
            before += counts[i];
        }
        return new(total, sumMicros, values[0], values[1], values[2], values[3], buckets);
    }

    private static long Percentile(ReadOnlySpan<long> counts, long total, double quantile)
    {
        if (total <= 0)
        {
            return 0;
        }
        var rank = Rank(quantile, total);
        var before = 0L;
        for (var i = 0; i < counts.Length; i++)
        {
            if (before + counts[i] >= rank)
            {
                return Interpolate(i, counts[i], rank - before);
            }
            before += counts[i];
        }
        return TimeBuckets.MaxTrackedMicros;
    }

    /// <summary>The 1-based rank of the sample at <paramref name="quantile"/> among <paramref name="total"/>.</summary>
    private static long Rank(double quantile, long total) => Math.Clamp((long)Math.Ceiling(quantile * total), 1, total);

    /// <summary>The value of the <paramref name="rankInBucket"/>-th of <paramref name="count"/> samples in bucket <paramref name="index"/>, spread evenly.</summary>
    private static long Interpolate(int index, long count, long rankInBucket)
    {
        var lower = TimeBuckets.LowerBound(index);
        if (index == TimeBuckets.Overflow)
        {
            // Nothing is known above the last bound: say "at least".
            return lower;
        }
        var upper = TimeBuckets.UpperBound(index);
        return lower + (long)Math.Round((upper - lower) * (double)rankInBucket / count);
    }
}
