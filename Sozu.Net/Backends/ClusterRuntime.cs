using Sozu.Messages.Config;
using Sozu.Net.LoadBalancing;
using Sozu.Net.Metrics;

namespace Sozu.Net.Backends;

/// <summary>A cluster on the loop: its configuration, its backends and the algorithm that picks among them.</summary>
internal sealed class ClusterRuntime
{
    public ClusterRuntime(Cluster config)
    {
        Config = config;
        Balancer = LoadBalancerFactory.Create(config.LoadBalancing);
        Answer503 = config.Answer503 is null ? null : System.Text.Encoding.UTF8.GetBytes(config.Answer503);
    }

    public Cluster Config { get; private set; }

    public List<BackendRuntime> Backends { get; } = [];

    public ILoadBalancer Balancer { get; private set; }

    public TrafficCounters Traffic { get; } = new();

    /// <summary>The cluster's own 503 answer bytes, replacing the listener's.</summary>
    public byte[]? Answer503 { get; private set; }

    public void Update(Cluster config)
    {
        if (config.LoadBalancing != Config.LoadBalancing)
        {
            Balancer = LoadBalancerFactory.Create(config.LoadBalancing);
        }
        Config = config;
        Answer503 = config.Answer503 is null ? null : System.Text.Encoding.UTF8.GetBytes(config.Answer503);
    }

    public BackendRuntime? FindBackend(string backendId, string address)
    {
        foreach (var backend in Backends)
        {
            if (backend.Config.BackendId == backendId && backend.Config.Address == address)
            {
                return backend;
            }
        }
        return null;
    }

    /// <summary>An available backend other than <paramref name="exclude"/> (the one that just failed), or null.</summary>
    public BackendRuntime? Pick(long nowMs, BackendRuntime? exclude = null) => Balancer.Pick(Backends, nowMs, exclude);
}
