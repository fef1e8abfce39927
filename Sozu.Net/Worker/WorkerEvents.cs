using Sozu.Messages.Events;
using Sozu.Net.Backends;

namespace Sozu.Net.Worker;

/// <summary>
/// Where health and drain transitions become <see cref="Event"/>s. The loop's code reports
/// what happened to a backend here; this decides whether it is a transition worth an event.
/// </summary>
internal sealed class WorkerEvents(int workerId)
{
    public IWorkerEventSink? Sink { get; set; }

    /// <summary>A connect failed or the backend reset before answering.</summary>
    public void BackendFailed(BackendRuntime backend, long nowMs)
    {
        backend.Traffic.ConnectErrors++;
        if (backend.RecordFailure(nowMs))
        {
            Raise(EventKind.BackendDown, backend);
        }
    }

    public void BackendSucceeded(BackendRuntime backend)
    {
        if (backend.ConsecutiveFailures == 0 && !backend.Down)
        {
            return;
        }
        if (backend.RecordSuccess())
        {
            Raise(EventKind.BackendUp, backend);
        }
    }

    public void HealthCheckUnhealthy(BackendRuntime backend)
    {
        if (backend.MarkUnhealthy())
        {
            Raise(EventKind.BackendDown, backend);
        }
    }

    public void HealthCheckHealthy(BackendRuntime backend)
    {
        if (backend.MarkHealthy())
        {
            Raise(EventKind.BackendUp, backend);
        }
    }

    /// <summary>A pick found nothing: raised once until a pick succeeds again.</summary>
    public void NoAvailableBackends(ClusterRuntime cluster)
    {
        if (cluster.NoneAvailableReported)
        {
            return;
        }
        cluster.NoneAvailableReported = true;
        Sink?.OnEvent(new Event(EventKind.NoAvailableBackends, cluster.Config.ClusterId, WorkerId: workerId));
    }

    /// <summary>A removed backend's last connection ended (or it had none when removed).</summary>
    public void BackendDrained(BackendRuntime backend)
    {
        if (backend.DrainReported)
        {
            return;
        }
        backend.DrainReported = true;
        Raise(EventKind.RemovedBackendHasNoConnections, backend);
    }

    private void Raise(EventKind kind, BackendRuntime backend) =>
        Sink?.OnEvent(new Event(kind, backend.ClusterId, backend.Config.BackendId, backend.Config.Address, workerId));
}
