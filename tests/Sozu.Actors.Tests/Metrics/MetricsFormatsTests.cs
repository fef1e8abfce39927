using Sozu.Actors.Metrics;
using Sozu.Messages.Answers;
using Sozu.Messages.Collections;

namespace Sozu.Actors.Tests.Metrics;

public sealed class MetricsFormatsTests
{
    private static TrafficMetrics Traffic(long requests) => TrafficMetrics.Zero with { Requests = requests, Status2xx = requests, ActiveConnections = 1 };

    /// <summary>A histogram of <paramref name="count"/> samples of <paramref name="micros"/> each.</summary>
    private static TimeHistogram Times(long micros, long count)
    {
        var counts = new long[TimeBuckets.Count];
        counts[TimeBuckets.IndexOf(micros)] = count;
        return TimeHistogram.FromCounts(counts, micros * count);
    }

    private static LatencyMetrics Latency(long responseMicros, long count) =>
        new(Times(50, count), Times(responseMicros, count), Times(responseMicros * 2, count));

    private static MetricsContent Worker(long requests, long responseMicros = 1_000) => new(
        new ProxyMetrics(1, 2, 3, 1000, 0, 1, 1, Traffic(requests)),
        ValueList<ListenerMetrics>.Of(
            new ListenerMetrics("127.0.0.1:80", "http", Traffic(requests)),
            new ListenerMetrics("127.0.0.1:443", "https", Traffic(requests), new TlsMetrics(requests, 2, 1, 1, 2, 1, requests - 1, 0, 1, 0, 0))),
        ValueList<ClusterMetrics>.Of(new ClusterMetrics("app", Traffic(requests), Latency(responseMicros, requests), ValueList<BackendMetrics>.Of(
            new BackendMetrics("app-0", "127.0.0.1:9001", true, Traffic(requests), Latency(responseMicros, requests)),
            new BackendMetrics("app-1", "127.0.0.1:9002", false, Traffic(0), LatencyMetrics.Zero)))));

    [Fact]
    public void Sum_AddsEveryScopeAcrossWorkers()
    {
        var sum = MetricsMapping.Sum([Worker(3), Worker(4)]);
        Assert.Equal(2, sum.Proxy.Workers);
        Assert.Equal(7, sum.Proxy.Traffic.Requests);
        Assert.Equal(2, sum.Proxy.Traffic.ActiveConnections);
        Assert.Equal(2000, sum.Proxy.MaxBuffers);
        Assert.Equal(7, sum.Listeners.Single(l => l.Protocol == "http").Traffic.Requests);
        var cluster = Assert.Single(sum.Clusters);
        Assert.Equal(7, cluster.Traffic.Requests);
        Assert.Equal(7, cluster.Backends.Single(b => b.BackendId == "app-0").Traffic.Requests);
        Assert.False(cluster.Backends.Single(b => b.BackendId == "app-1").Available);
    }

    [Fact]
    public void Filter_KeepsOnlyTheAskedBackends()
    {
        var filtered = MetricsMapping.Filter(Worker(5), ValueList<string>.Empty, ValueList<string>.Of("app-1"));
        Assert.Equal("app-1", Assert.Single(Assert.Single(filtered.Clusters).Backends).BackendId);
        Assert.Empty(MetricsMapping.Filter(Worker(5), ValueList<string>.Of("other"), ValueList<string>.Empty).Clusters);
    }

    [Fact]
    public void Prometheus_GroupsFamilies_WithHelpAndType_AndEscapesLabels()
    {
        var samples = MetricSamples.From(Worker(9) with
        {
            Clusters = ValueList<ClusterMetrics>.Of(new ClusterMetrics("we\"ird", Traffic(1), LatencyMetrics.Zero, ValueList<BackendMetrics>.Empty)),
        });
        var text = PrometheusText.Format(samples, "sozu");
        Assert.Contains("# TYPE sozu_http_requests_total counter\nsozu_http_requests_total 9\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE sozu_connections_active gauge", text, StringComparison.Ordinal);
        Assert.Contains("sozu_cluster_http_requests_total{cluster_id=\"we\\\"ird\"} 1", text, StringComparison.Ordinal);
        Assert.Single(text.Split('\n'), l => l == "# TYPE sozu_listener_http_requests_total counter");
    }

    [Fact]
    public void Statsd_SendsCounterIncreases_AndGaugeLevels()
    {
        var lines = new StatsdLines("sozu", tagged: true);
        var first = lines.Lines(MetricSamples.From(Worker(5)));
        Assert.Contains("sozu.http.requests:5|c", first);
        Assert.Contains("sozu.cluster.http.requests:5|c|#cluster_id:app", first);
        Assert.Contains("sozu.connections.active:1|g", first);

        var second = lines.Lines(MetricSamples.From(Worker(8)));
        Assert.Contains("sozu.http.requests:3|c", second);
        Assert.Contains("sozu.connections.active:1|g", second);

        var unchanged = lines.Lines(MetricSamples.From(Worker(8)));
        Assert.DoesNotContain(unchanged, l => l.StartsWith("sozu.http.requests:", StringComparison.Ordinal));
    }

    [Fact]
    public void Statsd_Untagged_PutsTheLabelsInTheName()
    {
        var lines = new StatsdLines("sozu", tagged: false).Lines(MetricSamples.From(Worker(2)));
        Assert.Contains("sozu.app.app-0.127_0_0_1_9001.backend.http.requests:2|c", lines);
    }

    [Fact]
    public void Sum_MergesTheTimeHistogramsAndRecomputesThePercentiles()
    {
        // 90 fast samples on one worker, 10 slow ones on the other: p50 is fast, p99 slow.
        var sum = MetricsMapping.Sum([Worker(90, responseMicros: 1_000), Worker(10, responseMicros: 100_000)]);
        var response = Assert.Single(sum.Clusters).Latency.ResponseTime;
        Assert.Equal(100, response.Count);
        Assert.Equal((90 * 1_000) + (10 * 100_000), response.SumMicros);
        // Within a bucket's width (12.5 %) of the true values.
        Assert.InRange(response.P50Micros, 875, 1_125);
        Assert.InRange(response.P99Micros, 87_500, 112_500);
        Assert.Equal(100, sum.Clusters[0].Backends.Single(b => b.BackendId == "app-0").Latency.ResponseTime.Count);
        Assert.Equal(0, sum.Clusters[0].Backends.Single(b => b.BackendId == "app-1").Latency.ResponseTime.Count);
    }

    [Fact]
    public void Sum_AddsTlsCounters_AndKeepsTheCertificateCountALevel()
    {
        var tls = MetricsMapping.Sum([Worker(3), Worker(4)]).Listeners.Single(l => l.Protocol == "https").Tls!;
        Assert.Equal(new TlsMetrics(7, 4, 2, 2, 2, 2, 5, 0, 2, 0, 0), tls);
        Assert.Null(MetricsMapping.Sum([Worker(3)]).Listeners.Single(l => l.Protocol == "http").Tls);
    }

    [Fact]
    public void Prometheus_ExposesTimesAsCumulativeHistogramsInSeconds()
    {
        var text = PrometheusText.Format(MetricSamples.From(Worker(4, responseMicros: 1_000)), "sozu");
        const string family = "sozu_cluster_response_time_seconds";
        Assert.Contains($"# TYPE {family} histogram\n", text, StringComparison.Ordinal);
        // 1 ms lies between the 256 µs and 1.024 ms bounds.
        Assert.Contains($"{family}_bucket{{cluster_id=\"app\",le=\"0.000256\"}} 0\n", text, StringComparison.Ordinal);
        Assert.Contains($"{family}_bucket{{cluster_id=\"app\",le=\"0.001024\"}} 4\n", text, StringComparison.Ordinal);
        Assert.Contains($"{family}_bucket{{cluster_id=\"app\",le=\"67.108864\"}} 4\n", text, StringComparison.Ordinal);
        Assert.Contains($"{family}_bucket{{cluster_id=\"app\",le=\"+Inf\"}} 4\n", text, StringComparison.Ordinal);
        Assert.Contains($"{family}_sum{{cluster_id=\"app\"}} 0.004\n", text, StringComparison.Ordinal);
        Assert.Contains($"{family}_count{{cluster_id=\"app\"}} 4\n", text, StringComparison.Ordinal);
        Assert.Contains("sozu_backend_connect_time_seconds_count{cluster_id=\"app\",backend_id=\"app-0\",address=\"127.0.0.1:9001\"} 4\n", text, StringComparison.Ordinal);
        Assert.Contains("sozu_listener_tls_handshakes_total{listener=\"127.0.0.1:443\",protocol=\"https\"} 4\n", text, StringComparison.Ordinal);
        Assert.Contains("sozu_listener_tls_certificates{listener=\"127.0.0.1:443\",protocol=\"https\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("sozu_listener_tls_handshakes_by_version_total{listener=\"127.0.0.1:443\",protocol=\"https\",version=\"1.2\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("sozu_listener_tls_handshakes_by_version_total{listener=\"127.0.0.1:443\",protocol=\"https\",version=\"1.3\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("sozu_listener_tls_handshake_failures_by_reason_total{listener=\"127.0.0.1:443\",protocol=\"https\",reason=\"bad_client_hello\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("sozu_listener_tls_handshake_failures_by_reason_total{listener=\"127.0.0.1:443\",protocol=\"https\",reason=\"timeout\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("sozu_listener_tls_handshake_failures_by_reason_total{listener=\"127.0.0.1:443\",protocol=\"https\",reason=\"unknown_server_name\"} 1\n", text, StringComparison.Ordinal);
        Assert.Equal(1, text.Split('\n').Count(l => l.StartsWith("# TYPE sozu_listener_tls_handshake_failures_by_reason_total counter", StringComparison.Ordinal)));
    }

    [Fact]
    public void Statsd_TagsTlsCountersWithTheirVersionAndFailureReason()
    {
        var lines = new StatsdLines("sozu", tagged: true).Lines(MetricSamples.From(Worker(4)));
        Assert.Contains("sozu.listener.tls.handshakes.by.version:3|c|#listener:127_0_0_1_443,protocol:https,version:1_3", lines);
        Assert.Contains("sozu.listener.tls.handshake.failures.by.reason:1|c|#listener:127_0_0_1_443,protocol:https,reason:bad_client_hello", lines);
    }

    [Fact]
    public void Statsd_SendsNewTimeSamplesAsSampledTimers()
    {
        var lines = new StatsdLines("sozu", tagged: true);
        var first = lines.Lines(MetricSamples.From(Worker(4, responseMicros: 1_000)));
        // 1,000 µs falls in (960, 1024]: its middle is 0.992 ms; 4 samples are sent as one line at rate 1/4.
        Assert.Contains("sozu.cluster.response.time:0.992|ms|@0.25|#cluster_id:app", first);

        var second = lines.Lines(MetricSamples.From(Worker(5, responseMicros: 1_000)));
        Assert.Contains("sozu.cluster.response.time:0.992|ms|#cluster_id:app", second);

        var unchanged = lines.Lines(MetricSamples.From(Worker(5, responseMicros: 1_000)));
        Assert.DoesNotContain(unchanged, l => l.Contains("|ms", StringComparison.Ordinal));
    }
}
