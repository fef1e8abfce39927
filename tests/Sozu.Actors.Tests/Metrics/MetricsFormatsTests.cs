using Sozu.Actors.Metrics;
using Sozu.Messages.Answers;
using Sozu.Messages.Collections;

namespace Sozu.Actors.Tests.Metrics;

public sealed class MetricsFormatsTests
{
    private static TrafficMetrics Traffic(long requests) => TrafficMetrics.Zero with { Requests = requests, Status2xx = requests, ActiveConnections = 1 };

    private static MetricsContent Worker(long requests) => new(
        new ProxyMetrics(1, 2, 3, 1000, 0, 1, 1, Traffic(requests)),
        ValueList<ListenerMetrics>.Of(new ListenerMetrics("127.0.0.1:80", "http", Traffic(requests))),
        ValueList<ClusterMetrics>.Of(new ClusterMetrics("app", Traffic(requests), ValueList<BackendMetrics>.Of(
            new BackendMetrics("app-0", "127.0.0.1:9001", true, Traffic(requests)),
            new BackendMetrics("app-1", "127.0.0.1:9002", false, Traffic(0))))));

    [Fact]
    public void Sum_AddsEveryScopeAcrossWorkers()
    {
        var sum = MetricsMapping.Sum([Worker(3), Worker(4)]);
        Assert.Equal(2, sum.Proxy.Workers);
        Assert.Equal(7, sum.Proxy.Traffic.Requests);
        Assert.Equal(2, sum.Proxy.Traffic.ActiveConnections);
        Assert.Equal(2000, sum.Proxy.MaxBuffers);
        Assert.Equal(7, Assert.Single(sum.Listeners).Traffic.Requests);
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
            Clusters = ValueList<ClusterMetrics>.Of(new ClusterMetrics("we\"ird", Traffic(1), ValueList<BackendMetrics>.Empty)),
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
}
