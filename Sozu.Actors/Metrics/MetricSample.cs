using Sozu.Messages.Answers;

namespace Sozu.Actors.Metrics;

public enum MetricKind
{
    /// <summary>Only grows (requests, bytes); statsd gets the increase since the last flush.</summary>
    Counter,

    /// <summary>A current level (connections, buffers in use).</summary>
    Gauge,

    /// <summary>Durations in buckets (<see cref="MetricSample.Histogram"/>); Prometheus histograms, statsd timers.</summary>
    Histogram,
}

/// <summary>
/// One value of a metric family with its labels, the common ground of the statsd and Prometheus
/// outputs. A <see cref="MetricKind.Histogram"/> sample carries its buckets in <see cref="Histogram"/>
/// and its count in <see cref="Value"/>.
/// </summary>
public readonly record struct MetricSample(string Name, MetricKind Kind, string Help, long Value, (string Key, string Value)[] Labels, TimeHistogram? Histogram = null);

/// <summary>Flattens a <see cref="MetricsContent"/> into named samples: proxy, listener, cluster and backend families.</summary>
public static class MetricSamples
{
    public static List<MetricSample> From(MetricsContent metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var samples = new List<MetricSample>(64);
        var proxy = metrics.Proxy;
        Traffic(samples, "", proxy.Traffic, []);
        samples.Add(new("workers", MetricKind.Gauge, "Workers that reported", proxy.Workers, []));
        samples.Add(new("sessions", MetricKind.Gauge, "Open client sessions", proxy.Sessions, []));
        samples.Add(new("buffer_in_use", MetricKind.Gauge, "Buffers checked out of the pools", proxy.BuffersInUse, []));
        samples.Add(new("buffer_max", MetricKind.Gauge, "Buffer pool capacity", proxy.MaxBuffers, []));
        samples.Add(new("buffer_exhausted", MetricKind.Counter, "Times a pool had no buffer to give", proxy.BufferExhaustions, []));
        samples.Add(new("buffer_peak", MetricKind.Gauge, "Most buffers out at once since start, summed over workers", proxy.BuffersPeak, []));
        samples.Add(new("incomplete_heads", MetricKind.Gauge, "Connections waiting for the rest of a request head", proxy.IncompleteHeads, []));
        samples.Add(new("head_bytes_stashed", MetricKind.Gauge, "Bytes held by incomplete request heads", proxy.HeadBytesStashed, []));
        samples.Add(new("heads_evicted", MetricKind.Counter, "Incomplete heads closed because the buffer pool ran low", proxy.HeadsEvicted, []));
        samples.Add(new("heads_refused_per_ip", MetricKind.Counter, "Incomplete heads refused over max_incomplete_heads_per_ip", proxy.HeadsRefusedPerIp, []));
        samples.Add(new("backend_connections_open", MetricKind.Gauge, "Open connections to backends", proxy.BackendConnectionsOpen, []));
        samples.Add(new("backend_connections_idle", MetricKind.Gauge, "Idle pooled connections to backends", proxy.BackendConnectionsIdle, []));
        foreach (var listener in metrics.Listeners)
        {
            (string, string)[] labels = [("listener", listener.Address), ("protocol", listener.Protocol)];
            Traffic(samples, "listener_", listener.Traffic, labels);
            if (listener.Tls is { } tls)
            {
                samples.Add(new("listener_tls_handshakes", MetricKind.Counter, "TLS handshakes completed", tls.Handshakes, labels));
                samples.Add(new("listener_tls_handshake_failures", MetricKind.Counter, "TLS handshakes failed (protocol error, alert, unknown server name)", tls.HandshakeFailures, labels));
                samples.Add(new("listener_tls_handshake_timeouts", MetricKind.Counter, "TLS handshakes not finished in time", tls.HandshakeTimeouts, labels));
                samples.Add(new("listener_tls_unknown_server_names", MetricKind.Counter, "TLS handshakes refused: no certificate for the SNI name", tls.UnknownServerNames, labels));
                samples.Add(new("listener_tls_certificates", MetricKind.Gauge, "Certificates on the listener", tls.Certificates, labels));
                samples.Add(new("listener_tls_handshakes_by_version", MetricKind.Counter, "TLS handshakes completed, by negotiated version", tls.Tls12Handshakes, [.. labels, ("version", "1.2")]));
                samples.Add(new("listener_tls_handshakes_by_version", MetricKind.Counter, "TLS handshakes completed, by negotiated version", tls.Tls13Handshakes, [.. labels, ("version", "1.3")]));
                FailureReason(samples, tls.PeerAlerts, labels, "peer_alert");
                FailureReason(samples, tls.BadClientHellos, labels, "bad_client_hello");
                FailureReason(samples, tls.NoSharedCipherOrVersion, labels, "no_shared_cipher_or_version");
                FailureReason(samples, tls.UnknownServerNames, labels, "unknown_server_name");
                FailureReason(samples, tls.HandshakeTimeouts, labels, "timeout");
                FailureReason(samples, tls.PeerClosed, labels, "peer_closed");
            }
            if (listener.ProxyProtocol is { } proxyHeaders)
            {
                samples.Add(new("listener_proxy_headers", MetricKind.Counter, "PROXY protocol headers received", proxyHeaders.Headers, labels));
                samples.Add(new("listener_proxy_header_failures", MetricKind.Counter, "Connections closed: no valid PROXY header", proxyHeaders.Failures, labels));
                samples.Add(new("listener_proxy_header_timeouts", MetricKind.Counter, "Connections closed: no complete PROXY header in time", proxyHeaders.Timeouts, labels));
            }
        }
        foreach (var cluster in metrics.Clusters)
        {
            (string, string)[] clusterLabels = [("cluster_id", cluster.ClusterId)];
            Traffic(samples, "cluster_", cluster.Traffic, clusterLabels);
            Latency(samples, "cluster_", cluster.Latency, clusterLabels);
            foreach (var backend in cluster.Backends)
            {
                (string, string)[] labels = [("cluster_id", cluster.ClusterId), ("backend_id", backend.BackendId), ("address", backend.Address)];
                Traffic(samples, "backend_", backend.Traffic, labels);
                Latency(samples, "backend_", backend.Latency, labels);
                samples.Add(new("backend_available", MetricKind.Gauge, "1 when the backend takes traffic", backend.Available ? 1 : 0, labels));
            }
        }
        return samples;
    }

    private static void FailureReason(List<MetricSample> samples, long value, (string, string)[] labels, string reason) =>
        samples.Add(new("listener_tls_handshake_failures_by_reason", MetricKind.Counter, "TLS handshakes that did not finish, by reason", value, [.. labels, ("reason", reason)]));

    private static void Latency(List<MetricSample> samples, string scope, LatencyMetrics latency, (string, string)[] labels)
    {
        samples.Add(Histogram(scope + "connect_time", "New backend connections: connect() to writable", latency.ConnectTime, labels));
        samples.Add(Histogram(scope + "response_time", "Request head received to response head received", latency.ResponseTime, labels));
        samples.Add(Histogram(scope + "request_time", "Request head received to response fully sent", latency.RequestTime, labels));
    }

    private static MetricSample Histogram(string name, string help, TimeHistogram histogram, (string, string)[] labels) =>
        new(name, MetricKind.Histogram, help, histogram.Count, labels, histogram);

    private static void Traffic(List<MetricSample> samples, string scope, TrafficMetrics t, (string, string)[] labels)
    {
        samples.Add(new(scope + "http_requests", MetricKind.Counter, "HTTP requests", t.Requests, labels));
        samples.Add(new(scope + "http_status_1xx", MetricKind.Counter, "Answers with a 1xx status", t.Status1xx, labels));
        samples.Add(new(scope + "http_status_2xx", MetricKind.Counter, "Answers with a 2xx status", t.Status2xx, labels));
        samples.Add(new(scope + "http_status_3xx", MetricKind.Counter, "Answers with a 3xx status", t.Status3xx, labels));
        samples.Add(new(scope + "http_status_4xx", MetricKind.Counter, "Answers with a 4xx status", t.Status4xx, labels));
        samples.Add(new(scope + "http_status_5xx", MetricKind.Counter, "Answers with a 5xx status", t.Status5xx, labels));
        var peer = scope == "backend_" ? "the backend" : "clients";
        samples.Add(new(scope + "bytes_in", MetricKind.Counter, "Bytes received from " + peer, t.BytesIn, labels));
        samples.Add(new(scope + "bytes_out", MetricKind.Counter, "Bytes sent to " + peer, t.BytesOut, labels));
        samples.Add(new(scope + "connections_active", MetricKind.Gauge, "Open client connections", t.ActiveConnections, labels));
        samples.Add(new(scope + "connections_accepted", MetricKind.Counter, "Client connections accepted", t.ConnectionsAccepted, labels));
        samples.Add(new(scope + "connections_refused", MetricKind.Counter, "Client connections refused at a limit", t.ConnectionsRefused, labels));
        samples.Add(new(scope + "connect_errors", MetricKind.Counter, "Failed connections to backends", t.ConnectErrors, labels));
        samples.Add(new(scope + "timeouts", MetricKind.Counter, "Timeouts", t.Timeouts, labels));
        samples.Add(new(scope + "malformed_responses", MetricKind.Counter, "Backend responses refused as malformed (502 to the client, backend connection closed)", t.MalformedResponses, labels));
    }
}
