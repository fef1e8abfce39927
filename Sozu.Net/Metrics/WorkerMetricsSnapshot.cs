using Sozu.Messages.Collections;

namespace Sozu.Net.Metrics;

public sealed record ListenerMetricsSnapshot(string Address, string Protocol, bool Active, TrafficSnapshot Traffic);

public sealed record BackendMetricsSnapshot(string ClusterId, string BackendId, string Address, bool Available, int IdleConnections, TrafficSnapshot Traffic);

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
