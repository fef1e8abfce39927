using Sozu.Messages.Answers;

namespace Sozu.Net.Metrics;

/// <summary>
/// Durations counted in the fixed buckets of <see cref="TimeBuckets"/>: recording a sample is an
/// index computation and three additions, no allocation and no lock (loop thread only). The
/// counters (1.5 KB) are allocated once with the cluster or backend that owns them.
/// </summary>
internal sealed class LatencyHistogram
{
    private readonly long[] _counts = new long[TimeBuckets.Count];
    private long _sumMicros;

    public long Count { get; private set; }

    public void Record(long micros)
    {
        var sample = Math.Max(0, micros);
        _counts[TimeBuckets.IndexOf(sample)]++;
        _sumMicros += sample;
        Count++;
    }

    /// <summary>
    /// The raw counters into <paramref name="destination"/>: count, sum, then (when it has room)
    /// the dense bucket counts; a memory copy, so a metrics query costs the loop little.
    /// </summary>
    public void CopyTo(Span<long> destination)
    {
        destination[0] = Count;
        destination[1] = _sumMicros;
        if (destination.Length > 2)
        {
            _counts.CopyTo(destination[2..]);
        }
    }

    /// <summary>An immutable copy with its percentiles (allocates; for a metrics query).</summary>
    public TimeHistogram Snapshot() => Count == 0 ? TimeHistogram.Empty : TimeHistogram.FromCounts(_counts, _sumMicros);
}
