using Sozu.Messages.Events;
using Sozu.Net.Backends;

namespace Sozu.Net.Worker;

/// <summary>
/// Backend health as events (SPEC §4 kinds), raised on transitions only, on the loop thread.
/// Passive health: <see cref="BackendRuntime.FailuresBeforeDown"/> consecutive connect
/// failures mark a backend down for an exponential back-off; a success marks it up.
/// </summary>
internal sealed partial class ProxyCore
{
    /// <summary>Set by the owner (the worker actor forwards them to subscribers).</summary>
    public Action<Event>? Events { get; set; }

    public void OnConnectFailure(BackendRuntime backend)
    {
        if (backend.RecordConnectFailure(Loop.NowMs))
        {
            Raise(EventKind.BackendDown, backend);
        }
    }

    public void OnConnectSuccess(BackendRuntime backend)
    {
        backend.Traffic.ConnectionsAccepted++;
        if (backend.RecordConnectSuccess())
        {
            Raise(EventKind.BackendUp, backend);
        }
        backend.Cluster.NoneAvailable = false;
    }

    /// <summary>A pick found no available backend: said once until one serves again.</summary>
    public void OnNoAvailableBackend(ClusterRuntime cluster)
    {
        if (cluster.NoneAvailable)
        {
            return;
        }
        cluster.NoneAvailable = true;
        Events?.Invoke(new Event(EventKind.NoAvailableBackends, cluster.Config.ClusterId));
    }

    /// <summary>A removed backend's last connection closed: the operator may now stop it.</summary>
    public void OnBackendDrained(BackendRuntime backend) => Raise(EventKind.RemovedBackendHasNoConnections, backend);

    private void Raise(EventKind kind, BackendRuntime backend) =>
        Events?.Invoke(new Event(kind, backend.Cluster.Config.ClusterId, backend.Config.BackendId, backend.Config.Address, Options.WorkerId));
}
