using Sozu.Messages.Answers;
using Sozu.Messages.Collections;
using Sozu.Net.Metrics;

namespace Sozu.Actors.Metrics;

/// <summary>
/// Between the data plane's snapshot (Sozu.Net, one worker) and the answer content (Sozu.Messages,
/// any number of workers): conversion, sums across workers, and the filters of query_metrics.
/// </summary>
public static class MetricsMapping
{
    public static MetricsContent FromSnapshot(WorkerMetricsSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var listeners = new List<ListenerMetrics>(snapshot.Listeners.Count);
        foreach (var listener in snapshot.Listeners)
        {
            listeners.Add(new ListenerMetrics(listener.Address, listener.Protocol.ToLowerInvariant(), Traffic(listener.Traffic), Tls(listener.Tls), ProxyHeaders(listener.ProxyProtocol)));
        }
        var clusters = new List<ClusterMetrics>(snapshot.Clusters.Count);
        foreach (var cluster in snapshot.Clusters)
        {
            var backends = new List<BackendMetrics>(cluster.Backends.Count);
            foreach (var backend in cluster.Backends)
            {
                backends.Add(new BackendMetrics(backend.BackendId, backend.Address, backend.Available, Traffic(backend.Traffic), backend.Latency));
            }
            clusters.Add(new ClusterMetrics(cluster.ClusterId, Traffic(cluster.Traffic), cluster.Latency, ValueList<BackendMetrics>.From(backends)));
        }
        var proxy = new ProxyMetrics(
            1, snapshot.Sessions, snapshot.BuffersInUse, snapshot.MaxBuffers, snapshot.BufferExhaustions,
            snapshot.BackendConnectionsOpen, snapshot.BackendConnectionsIdle, Traffic(snapshot.Global),
            snapshot.BuffersPeak, snapshot.IncompleteHeads, snapshot.HeadBytesStashed, snapshot.HeadsEvicted, snapshot.HeadsRefusedPerIp);
        return new MetricsContent(proxy, ValueList<ListenerMetrics>.From(listeners), ValueList<ClusterMetrics>.From(clusters));
    }

    public static TrafficMetrics Traffic(TrafficSnapshot t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return new(t.Requests, t.Status1xx, t.Status2xx, t.Status3xx, t.Status4xx, t.Status5xx, t.BytesIn, t.BytesOut,
            t.ActiveConnections, t.ConnectionsAccepted, t.ConnectionsRefused, t.ConnectErrors, t.Timeouts, t.MalformedResponses);
    }

    public static TlsMetrics? Tls(Net.Tls.TlsCounters? tls) =>
        tls is null ? null : new(
            tls.Handshakes, tls.HandshakeFailures, tls.HandshakeTimeouts, tls.UnknownServerNames, tls.Certificates,
            tls.Tls12Handshakes, tls.Tls13Handshakes, tls.PeerAlerts, tls.BadClientHellos, tls.NoSharedCipherOrVersion, tls.PeerClosed);

    public static ProxyHeaderMetrics? ProxyHeaders(Net.ProxyProtocol.ProxyHeaderSnapshot? counters) =>
        counters is null ? null : new(counters.Headers, counters.Failures, counters.Timeouts);

    /// <summary>
    /// Every counter summed by its key (listener address, cluster id, backend id and address),
    /// time histograms merged bucket by bucket (percentiles recomputed on the sum); order by key.
    /// </summary>
    public static MetricsContent Sum(IEnumerable<MetricsContent> workers)
    {
        ArgumentNullException.ThrowIfNull(workers);
        var count = 0;
        long sessions = 0, buffers = 0, maxBuffers = 0, exhaustions = 0, open = 0, idle = 0;
        long peak = 0, heads = 0, stashed = 0, evicted = 0, refused = 0;
        var traffic = TrafficMetrics.Zero;
        var listeners = new SortedDictionary<string, ListenerMetrics>(StringComparer.Ordinal);
        var clusters = new SortedDictionary<string, (TrafficMetrics Traffic, LatencyMetrics Latency, SortedDictionary<string, BackendMetrics> Backends)>(StringComparer.Ordinal);
        foreach (var worker in workers)
        {
            count += worker.Proxy.Workers;
            sessions += worker.Proxy.Sessions;
            buffers += worker.Proxy.BuffersInUse;
            maxBuffers += worker.Proxy.MaxBuffers;
            exhaustions += worker.Proxy.BufferExhaustions;
            open += worker.Proxy.BackendConnectionsOpen;
            idle += worker.Proxy.BackendConnectionsIdle;
            peak += worker.Proxy.BuffersPeak;
            heads += worker.Proxy.IncompleteHeads;
            stashed += worker.Proxy.HeadBytesStashed;
            evicted += worker.Proxy.HeadsEvicted;
            refused += worker.Proxy.HeadsRefusedPerIp;
            traffic = traffic.Plus(worker.Proxy.Traffic);
            foreach (var listener in worker.Listeners)
            {
                listeners[listener.Address] = listeners.TryGetValue(listener.Address, out var seen)
                    ? seen with { Traffic = seen.Traffic.Plus(listener.Traffic), Tls = Plus(seen.Tls, listener.Tls), ProxyProtocol = Plus(seen.ProxyProtocol, listener.ProxyProtocol) }
                    : listener;
            }
            foreach (var cluster in worker.Clusters)
            {
                if (!clusters.TryGetValue(cluster.ClusterId, out var entry))
                {
                    entry = (TrafficMetrics.Zero, LatencyMetrics.Zero, new SortedDictionary<string, BackendMetrics>(StringComparer.Ordinal));
                }
                foreach (var backend in cluster.Backends)
                {
                    var key = backend.BackendId + "\n" + backend.Address;
                    entry.Backends[key] = entry.Backends.TryGetValue(key, out var seen)
                        ? seen with { Available = seen.Available || backend.Available, Traffic = seen.Traffic.Plus(backend.Traffic), Latency = seen.Latency.Plus(backend.Latency) }
                        : backend;
                }
                clusters[cluster.ClusterId] = (entry.Traffic.Plus(cluster.Traffic), entry.Latency.Plus(cluster.Latency), entry.Backends);
            }
        }
        var clusterList = new List<ClusterMetrics>(clusters.Count);
        foreach (var (id, entry) in clusters)
        {
            clusterList.Add(new ClusterMetrics(id, entry.Traffic, entry.Latency, ValueList<BackendMetrics>.From(entry.Backends.Values)));
        }
        return new MetricsContent(
            new ProxyMetrics(count, sessions, buffers, maxBuffers, exhaustions, open, idle, traffic, peak, heads, stashed, evicted, refused),
            ValueList<ListenerMetrics>.From(listeners.Values),
            ValueList<ClusterMetrics>.From(clusterList));
    }

    private static TlsMetrics? Plus(TlsMetrics? a, TlsMetrics? b) => a is null ? b : b is null ? a : a.Plus(b);

    private static ProxyHeaderMetrics? Plus(ProxyHeaderMetrics? a, ProxyHeaderMetrics? b) => a is null ? b : b is null ? a : a.Plus(b);

    /// <summary>Keeps only the clusters asked for, and in them only the backends asked for (empty lists keep all).</summary>
    public static MetricsContent Filter(MetricsContent metrics, ValueList<string> clusterIds, ValueList<string> backendIds)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(clusterIds);
        ArgumentNullException.ThrowIfNull(backendIds);
        if (clusterIds.Count == 0 && backendIds.Count == 0)
        {
            return metrics;
        }
        var kept = new List<ClusterMetrics>();
        foreach (var cluster in metrics.Clusters)
        {
            if (clusterIds.Count > 0 && !clusterIds.Contains(cluster.ClusterId))
            {
                continue;
            }
            if (backendIds.Count == 0)
            {
                kept.Add(cluster);
                continue;
            }
            var backends = new List<BackendMetrics>();
            foreach (var backend in cluster.Backends)
            {
                if (backendIds.Contains(backend.BackendId))
                {
                    backends.Add(backend);
                }
            }
            if (backends.Count > 0 || clusterIds.Count > 0)
            {
                kept.Add(cluster with { Backends = ValueList<BackendMetrics>.From(backends) });
            }
        }
        return metrics with { Clusters = ValueList<ClusterMetrics>.From(kept) };
    }

    /// <summary>The metric names a query may list (query_metrics with "list": true).</summary>
    public static readonly ValueList<string> Names = ValueList<string>.From(
    [
        "requests", "status_1xx", "status_2xx", "status_3xx", "status_4xx", "status_5xx",
        "bytes_in", "bytes_out", "active_connections", "connections_accepted", "connections_refused",
        "connect_errors", "timeouts", "malformed_responses", "sessions", "buffers_in_use", "max_buffers", "buffer_exhaustions",
        "backend_connections_open", "backend_connections_idle",
        "buffers_peak", "incomplete_heads", "head_bytes_stashed", "heads_evicted", "heads_refused_per_ip",
        "connect_time", "response_time", "request_time",
        "tls_handshakes", "tls_handshake_failures", "tls_handshake_timeouts", "tls_unknown_server_names", "tls_certificates",
        "tls12_handshakes", "tls13_handshakes", "tls_peer_alerts", "tls_bad_client_hellos", "tls_no_shared_cipher_or_version", "tls_peer_closed",
        "proxy_headers", "proxy_header_failures", "proxy_header_timeouts",
    ]);
}
