using Sozu.Messages.Config;
using Sozu.Net.Backends;
using Sozu.Net.Loop;
using Sozu.Net.Worker;

namespace Sozu.Net.Health;

/// <summary>
/// The active health check of one cluster: a <see cref="HealthProbe"/> per backend, run from
/// the worker's loop (non-blocking sockets, timers from the wheel). Retuned in place when
/// add_cluster changes the check; a backend added later is watched from its first second.
/// </summary>
internal sealed class HealthChecker(EventLoop loop, WorkerEvents events, ClusterRuntime cluster)
{
    public HealthCheckConfig Config { get; private set; } = new();

    public EventLoop Loop { get; } = loop;

    public WorkerEvents Events { get; } = events;

    public void Configure(HealthCheckConfig config)
    {
        var changed = Config != config;
        Config = config;
        foreach (var backend in cluster.Backends)
        {
            if (changed)
            {
                backend.Probe?.Stop();
                backend.Probe = null;
            }
            Watch(backend);
        }
    }

    public void Watch(BackendRuntime backend)
    {
        backend.Probe ??= new HealthProbe(this, backend);
        backend.Probe.Start();
    }

    /// <summary>Stops every probe; backends the check held down are released (the check no longer vouches either way).</summary>
    public void Stop(bool releaseBackends = false)
    {
        foreach (var backend in cluster.Backends)
        {
            backend.Probe?.Stop();
            backend.Probe = null;
            if (releaseBackends && backend.HeldDownByHealthCheck)
            {
                Events.HealthCheckHealthy(backend);
            }
        }
    }
}
