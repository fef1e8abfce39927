using Sozu.Messages.Answers;
using Sozu.Messages.Collections;
using Sozu.Net.Tls;

namespace Sozu.Net.Metrics;

/// <param name="Tls">HTTPS listeners only.</param>
/// <param name="ProxyProtocol">Listeners that expect (or once expected) a PROXY header only.</param>
public sealed record ListenerMetricsSnapshot(string Address, string Protocol, bool Active, TrafficSnapshot Traffic, TlsCounters? Tls = null, ProxyProtocol.ProxyHeaderSnapshot? ProxyProtocol = null);

/// <param name="Available">Would be picked now (up, or due for a retry after its back-off).</param>
/// <param name="Down">Marked down by failures or by the health check.</param>
/// <param name="ActiveConnections">Checked out, connecting or piping.</param>
/// <param name="InFlightRequests">HTTP requests not yet fully answered.</param>
/// <param name="ResponseTimeMs">Peak EWMA of connect and response times.</param>
public sealed record BackendMetricsSnapshot(
    string ClusterId,
    string BackendId,
    string Address,
    bool Available,
    int IdleConnections,
    TrafficSnapshot Traffic,
    LatencyMetrics Latency,
    bool Down = false,
    int ActiveConnections = 0,
    int InFlightRequests = 0,
    double ResponseTimeMs = 0);

public sealed record ClusterMetricsSnapshot(string ClusterId, TrafficSnapshot Traffic, LatencyMetrics Latency, ValueList<BackendMetricsSnapshot> Backends);

/// <summary>Everything a worker counts, copied on its loop thread for a query.</summary>
/// <param name="BuffersPeak">The most buffers out at once since the worker started.</param>
/// <param name="IncompleteHeads">Connections waiting for the rest of a request head now.</param>
/// <param name="HeadBytesStashed">Bytes those heads hold (stash arrays, rounded up to their size).</param>
/// <param name="HeadsEvicted">Incomplete heads closed (408) because the buffer pool ran low.</param>
/// <param name="HeadsRefusedPerIp">Incomplete heads refused (408) because their IP was at max_incomplete_heads_per_ip.</param>
public sealed record WorkerMetricsSnapshot(
    int Sessions,
    int BuffersInUse,
    int BuffersCreated,
    int MaxBuffers,
    long BufferExhaustions,
    int BackendConnectionsOpen,
    int BackendConnectionsIdle,
    TrafficSnapshot Global,
    ValueList<ListenerMetricsSnapshot> Listeners,
    ValueList<ClusterMetricsSnapshot> Clusters,
    int BuffersPeak = 0,
    int IncompleteHeads = 0,
    long HeadBytesStashed = 0,
    long HeadsEvicted = 0,
    long HeadsRefusedPerIp = 0);
