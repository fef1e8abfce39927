using Sozu.Messages.Collections;

namespace Sozu.Net.Metrics;

public sealed record ListenerMetricsSnapshot(string Address, string Protocol, bool Active, TrafficSnapshot Traffic);

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
    bool Down = false,
    int ActiveConnections = 0,
    int InFlightRequests = 0,
    double ResponseTimeMs = 0);

public sealed record ClusterMetricsSnapshot(string ClusterId, TrafficSnapshot Traffic, ValueList<BackendMetricsSnapshot> Backends);

/// <summary>Everything a worker counts, copied on its loop thread for a query.</summary>
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
    ValueList<ClusterMetricsSnapshot> Clusters);
