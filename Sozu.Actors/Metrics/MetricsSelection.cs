using Sozu.Messages.Answers;
using Sozu.Messages.Collections;

namespace Sozu.Actors.Metrics;

/// <summary>
/// query_metrics' <c>metric_names</c>: the answer keeps its shape (one record per scope), and a
/// metric not named reads 0 (an empty histogram for times; no <c>tls</c> block when no TLS
/// metric is named, no <c>proxy_protocol</c> block when no PROXY header metric is). Names are those of <see cref="MetricsMapping.Names"/>; an unknown one is
/// refused before any worker is asked.
/// </summary>
public static class MetricsSelection
{
    /// <summary>The names not in <see cref="MetricsMapping.Names"/>; empty when all are known.</summary>
    public static List<string> Unknown(ValueList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var unknown = new List<string>();
        foreach (var name in names)
        {
            if (!MetricsMapping.Names.Contains(name))
            {
                unknown.Add(name);
            }
        }
        return unknown;
    }

    /// <summary>Zeroes every metric not in <paramref name="names"/>; an empty list keeps all.</summary>
    public static MetricsContent Select(MetricsContent metrics, ValueList<string> names)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count == 0)
        {
            return metrics;
        }
        var keep = new HashSet<string>(names, StringComparer.Ordinal);
        var proxy = metrics.Proxy;
        var selectedProxy = proxy with
        {
            Sessions = Keep(keep, "sessions", proxy.Sessions),
            BuffersInUse = Keep(keep, "buffers_in_use", proxy.BuffersInUse),
            MaxBuffers = Keep(keep, "max_buffers", proxy.MaxBuffers),
            BufferExhaustions = Keep(keep, "buffer_exhaustions", proxy.BufferExhaustions),
            BackendConnectionsOpen = Keep(keep, "backend_connections_open", proxy.BackendConnectionsOpen),
            BackendConnectionsIdle = Keep(keep, "backend_connections_idle", proxy.BackendConnectionsIdle),
            Traffic = Traffic(keep, proxy.Traffic),
            BuffersPeak = Keep(keep, "buffers_peak", proxy.BuffersPeak),
            IncompleteHeads = Keep(keep, "incomplete_heads", proxy.IncompleteHeads),
            HeadBytesStashed = Keep(keep, "head_bytes_stashed", proxy.HeadBytesStashed),
            HeadsEvicted = Keep(keep, "heads_evicted", proxy.HeadsEvicted),
            HeadsRefusedPerIp = Keep(keep, "heads_refused_per_ip", proxy.HeadsRefusedPerIp),
        };
        var listeners = new List<ListenerMetrics>(metrics.Listeners.Count);
        foreach (var listener in metrics.Listeners)
        {
            listeners.Add(listener with { Traffic = Traffic(keep, listener.Traffic), Tls = Tls(keep, listener.Tls), ProxyProtocol = ProxyHeaders(keep, listener.ProxyProtocol) });
        }
        var clusters = new List<ClusterMetrics>(metrics.Clusters.Count);
        foreach (var cluster in metrics.Clusters)
        {
            var backends = new List<BackendMetrics>(cluster.Backends.Count);
            foreach (var backend in cluster.Backends)
            {
                backends.Add(backend with { Traffic = Traffic(keep, backend.Traffic), Latency = Latency(keep, backend.Latency) });
            }
            clusters.Add(cluster with { Traffic = Traffic(keep, cluster.Traffic), Latency = Latency(keep, cluster.Latency), Backends = ValueList<BackendMetrics>.From(backends) });
        }
        return new MetricsContent(selectedProxy, ValueList<ListenerMetrics>.From(listeners), ValueList<ClusterMetrics>.From(clusters));
    }

    private static long Keep(HashSet<string> keep, string name, long value) => keep.Contains(name) ? value : 0;

    private static TrafficMetrics Traffic(HashSet<string> keep, TrafficMetrics t) => new(
        Keep(keep, "requests", t.Requests),
        Keep(keep, "status_1xx", t.Status1xx),
        Keep(keep, "status_2xx", t.Status2xx),
        Keep(keep, "status_3xx", t.Status3xx),
        Keep(keep, "status_4xx", t.Status4xx),
        Keep(keep, "status_5xx", t.Status5xx),
        Keep(keep, "bytes_in", t.BytesIn),
        Keep(keep, "bytes_out", t.BytesOut),
        Keep(keep, "active_connections", t.ActiveConnections),
        Keep(keep, "connections_accepted", t.ConnectionsAccepted),
        Keep(keep, "connections_refused", t.ConnectionsRefused),
        Keep(keep, "connect_errors", t.ConnectErrors),
        Keep(keep, "timeouts", t.Timeouts),
        Keep(keep, "malformed_responses", t.MalformedResponses));

    private static LatencyMetrics Latency(HashSet<string> keep, LatencyMetrics latency) => new(
        keep.Contains("connect_time") ? latency.ConnectTime : TimeHistogram.Empty,
        keep.Contains("response_time") ? latency.ResponseTime : TimeHistogram.Empty,
        keep.Contains("request_time") ? latency.RequestTime : TimeHistogram.Empty);

    private static ProxyHeaderMetrics? ProxyHeaders(HashSet<string> keep, ProxyHeaderMetrics? counters)
    {
        if (counters is null)
        {
            return null;
        }
        var any = false;
        foreach (var name in keep)
        {
            any |= name.StartsWith("proxy_header", StringComparison.Ordinal);
        }
        return any
            ? new ProxyHeaderMetrics(
                Keep(keep, "proxy_headers", counters.Headers),
                Keep(keep, "proxy_header_failures", counters.Failures),
                Keep(keep, "proxy_header_timeouts", counters.Timeouts))
            : null;
    }

    private static TlsMetrics? Tls(HashSet<string> keep, TlsMetrics? tls)
    {
        if (tls is null)
        {
            return null;
        }
        var any = false;
        foreach (var name in keep)
        {
            any |= name.StartsWith("tls", StringComparison.Ordinal);
        }
        return any
            ? new TlsMetrics(
                Keep(keep, "tls_handshakes", tls.Handshakes),
                Keep(keep, "tls_handshake_failures", tls.HandshakeFailures),
                Keep(keep, "tls_handshake_timeouts", tls.HandshakeTimeouts),
                Keep(keep, "tls_unknown_server_names", tls.UnknownServerNames),
                Keep(keep, "tls_certificates", tls.Certificates),
                Keep(keep, "tls12_handshakes", tls.Tls12Handshakes),
                Keep(keep, "tls13_handshakes", tls.Tls13Handshakes),
                Keep(keep, "tls_peer_alerts", tls.PeerAlerts),
                Keep(keep, "tls_bad_client_hellos", tls.BadClientHellos),
                Keep(keep, "tls_no_shared_cipher_or_version", tls.NoSharedCipherOrVersion),
                Keep(keep, "tls_peer_closed", tls.PeerClosed))
            : null;
    }
}
