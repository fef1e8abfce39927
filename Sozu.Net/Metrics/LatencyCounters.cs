using Sozu.Messages.Answers;

namespace Sozu.Net.Metrics;

/// <summary>The time histograms of a cluster or a backend; what each measures is told on <see cref="LatencyMetrics"/>.</summary>
internal sealed class LatencyCounters
{
    public LatencyHistogram ConnectTime { get; } = new();

    public LatencyHistogram ResponseTime { get; } = new();

    public LatencyHistogram RequestTime { get; } = new();

    public LatencyMetrics Snapshot() => new(ConnectTime.Snapshot(), ResponseTime.Snapshot(), RequestTime.Snapshot());
}
