using Sozu.Actors.Metrics;
using Sozu.Messages.Answers;
using Sozu.Messages.Collections;


namespace Sozu.Actors.Tests.Metrics;

public sealed class MetricsSelectionTests
{
    private static TrafficMetrics Traffic(long n) => new(n, 1, n, 3, 4, 5, 100 * n, 200 * n, 2, n, 1, 1, 1);

    private static TimeHistogram Times(long micros, long count)
    {
        var counts = new long[TimeBuckets.Count];
        counts[TimeBuckets.IndexOf(micros)] = count;
        return TimeHistogram.FromCounts(counts, micros * count);
    }

    private static readonly LatencyMetrics Latency = new(Times(50, 2), Times(1_000, 2), Times(2_000, 2));

    private static readonly MetricsContent Metrics = new(
        new ProxyMetrics(2, 7, 3, 1000, 1, 4, 2, Traffic(9)),
        ValueList<ListenerMetrics>.Of(
            new ListenerMetrics("127.0.0.1:80", "http", Traffic(4)),
            new ListenerMetrics("127.0.0.1:443", "https", Traffic(5), new TlsMetrics(5, 2, 1, 1, 2, 1, 4, 0, 1, 0, 0))),
        ValueList<ClusterMetrics>.Of(new ClusterMetrics("app", Traffic(9), Latency, ValueList<BackendMetrics>.Of(
            new BackendMetrics("app-0", "127.0.0.1:9001", true, Traffic(9), Latency)))));

    [Fact]
    public void Select_WithNoNames_KeepsEverything() =>
        Assert.Same(Metrics, MetricsSelection.Select(Metrics, ValueList<string>.Empty));

    [Fact]
    public void Select_KeepsTheNamedCountersInEveryScope_AndZeroesTheOthers()
    {
        var selected = MetricsSelection.Select(Metrics, ValueList<string>.Of("bytes_in", "response_time"));
        Assert.Equal(TrafficMetrics.Zero with { BytesIn = 900 }, selected.Proxy.Traffic);
        Assert.Equal((2, 0L, 0L), (selected.Proxy.Workers, selected.Proxy.Sessions, selected.Proxy.MaxBuffers));
        Assert.Equal(TrafficMetrics.Zero with { BytesIn = 500 }, selected.Listeners[1].Traffic);
        Assert.Null(selected.Listeners[1].Tls);
        var cluster = Assert.Single(selected.Clusters);
        Assert.Equal(TrafficMetrics.Zero with { BytesIn = 900 }, cluster.Traffic);
        Assert.Equal(new LatencyMetrics(TimeHistogram.Empty, Latency.ResponseTime, TimeHistogram.Empty), cluster.Latency);
        var backend = Assert.Single(cluster.Backends);
        Assert.Equal(("app-0", "127.0.0.1:9001", true), (backend.BackendId, backend.Address, backend.Available));
        Assert.Equal(2, backend.Latency.ResponseTime.Count);
        Assert.Equal(0, backend.Latency.ConnectTime.Count);
    }

    [Fact]
    public void Select_OfATlsName_KeepsOnlyThatTlsCounter()
    {
        var selected = MetricsSelection.Select(Metrics, ValueList<string>.Of("tls13_handshakes", "sessions"));
        Assert.Equal(new TlsMetrics(0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0), selected.Listeners[1].Tls);
        Assert.Null(selected.Listeners[0].Tls);
        Assert.Equal(7, selected.Proxy.Sessions);
        Assert.Equal(TrafficMetrics.Zero, selected.Proxy.Traffic);
    }

    [Fact]
    public void Unknown_NamesWhatIsNotAMetric()
    {
        Assert.Equal(["bytes", "Requests"], MetricsSelection.Unknown(ValueList<string>.Of("bytes", "requests", "Requests", "tls_peer_closed")));
        Assert.Empty(MetricsSelection.Unknown(MetricsMapping.Names));
    }
}
