using Sozu.Messages.Collections;
using Sozu.Net.Metrics;

namespace Sozu.Net.Worker;

internal sealed partial class ProxyCore
{
    /// <summary>A copy of every counter, for a metrics query (allocates; not on the hot path).</summary>
    public WorkerMetricsSnapshot Snapshot()
    {
        var listeners = new List<ListenerMetricsSnapshot>(_listeners.Count);
        foreach (var listener in _listeners.Values)
        {
            listeners.Add(new ListenerMetricsSnapshot(listener.Key, listener.Protocol.ToString().ToUpperInvariant(), listener.Active, listener.Traffic.Snapshot(), listener.Tls?.Counters));
        }
        var clusters = new List<ClusterMetricsSnapshot>(_clusters.Count);
        foreach (var cluster in _clusters.Values)
        {
            var backends = new List<BackendMetricsSnapshot>(cluster.Backends.Count);
            foreach (var backend in cluster.Backends)
            {
                backends.Add(new BackendMetricsSnapshot(
                    cluster.Config.ClusterId, backend.Config.BackendId, backend.Config.Address,
                    backend.IsAvailable(Loop.NowMs), backend.IdleCount, backend.Traffic.Snapshot(), backend.Latency.Snapshot(),
                    backend.Down, backend.ActiveConnections, backend.InFlightRequests, backend.ResponseTimeEwmaMs));
            }
            clusters.Add(new ClusterMetricsSnapshot(cluster.Config.ClusterId, cluster.Traffic.Snapshot(), cluster.Latency.Snapshot(), ValueList<BackendMetricsSnapshot>.From(backends)));
        }
        return new WorkerMetricsSnapshot(
            SessionCount, Buffers.InUse, Buffers.Created, Buffers.MaxBuffers, Buffers.Exhausted,
            BackendPool.OpenTotal, BackendPool.IdleTotal,
            Global.Snapshot(), ValueList<ListenerMetricsSnapshot>.From(listeners), ValueList<ClusterMetricsSnapshot>.From(clusters));
    }
}
