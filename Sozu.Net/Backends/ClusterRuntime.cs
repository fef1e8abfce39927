using Sozu.Messages.Config;
using Sozu.Net.Health;
using Sozu.Net.Http1.Answers;
using Sozu.Net.Limits;
using Sozu.Net.LoadBalancing;
using Sozu.Net.Metrics;

namespace Sozu.Net.Backends;

/// <summary>
/// A cluster on the loop: its configuration, its backends, the algorithm that picks among them
/// (replaced when add_cluster changes it), its client connections per IP and its health check.
/// </summary>
internal sealed class ClusterRuntime
{
    private ClusterRuntime(Cluster config, AnswerTemplate? answer503)
    {
        Config = config;
        Balancer = LoadBalancerFactory.Create(config.LoadBalancing, config.LoadMetric);
        Answer503 = answer503;
    }

    /// <summary>False with the reason when the cluster's own 503 answer is not a valid raw answer.</summary>
    public static bool TryCreate(Cluster config, out ClusterRuntime cluster, out string error)
    {
        cluster = null!;
        if (!TryParseAnswer(config, out var answer, out error))
        {
            return false;
        }
        cluster = new ClusterRuntime(config, answer);
        return true;
    }

    public Cluster Config { get; private set; }

    /// <summary>send_proxy: every backend connection starts with a PROXY header for its client (relay_header included).</summary>
    public bool SendsProxyHeader => Config.ProxyProtocol is ProxyProtocolConfig.SendHeader or ProxyProtocolConfig.RelayHeader;

    public List<BackendRuntime> Backends { get; } = [];

    public ILoadBalancer Balancer { get; private set; }

    public TrafficCounters Traffic { get; } = new();

    public LatencyCounters Latency { get; } = new();

    /// <summary>Client connections per source IP bound to this cluster (counted only while a cap applies).</summary>
    public ConnectionsPerIp ConnectionsPerIp { get; } = new();

    /// <summary>The active health check, when the cluster has one.</summary>
    public HealthChecker? HealthChecker { get; set; }

    /// <summary>no_available_backends was raised and no pick has succeeded since.</summary>
    public bool NoneAvailableReported { get; set; }

    /// <summary>The cluster's own 503, replacing the listener's.</summary>
    public AnswerTemplate? Answer503 { get; private set; }

    public bool TryUpdate(Cluster config, out string error)
    {
        if (!TryParseAnswer(config, out var answer, out error))
        {
            return false;
        }
        if (config.LoadBalancing != Config.LoadBalancing || config.LoadMetric != Config.LoadMetric)
        {
            Balancer = LoadBalancerFactory.Create(config.LoadBalancing, config.LoadMetric);
            Balancer.Rebuild(Backends);
        }
        Config = config;
        Answer503 = answer;
        return true;
    }

    private static bool TryParseAnswer(Cluster config, out AnswerTemplate? answer, out string error)
    {
        answer = null;
        error = "";
        if (config.Answer503 is null)
        {
            return true;
        }
        try
        {
            answer = AnswerTemplate.Parse(config.Answer503, 503, config.ClusterId);
            return true;
        }
        catch (ArgumentException e)
        {
            error = $"cluster {config.ClusterId}: {e.Message}";
            return false;
        }
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

    /// <summary>How long the one request retrying a down backend has before another may try.</summary>
    internal const int RetryProbeWindowMs = 5_000;

    /// <summary>The per-IP cap that applies: the cluster's own, else the worker's; 0 is none.</summary>
    public int ConnectionsPerIpLimit(int workerDefault) => Config.MaxConnectionsPerIp ?? workerDefault;

    public void Add(BackendRuntime backend)
    {
        Backends.Add(backend);
        Balancer.Rebuild(Backends);
    }

    public void Remove(BackendRuntime backend)
    {
        Backends.Remove(backend);
        Balancer.Rebuild(Backends);
    }

    /// <summary>A backend's weight or backup flag changed.</summary>
    public void BackendsChanged() => Balancer.Rebuild(Backends);

    /// <summary>An available backend other than <paramref name="exclude"/> (the one that just failed), or null.</summary>
    public BackendRuntime? Pick(long nowMs, BackendRuntime? exclude = null)
    {
        var picked = Balancer.Pick(Backends, nowMs, exclude);
        if (picked is not null)
        {
            NoneAvailableReported = false;
            if (picked.Down)
            {
                picked.BeginRetry(nowMs + RetryProbeWindowMs);
            }
        }
        return picked;
    }

    /// <summary>The backend whose sticky id is <paramref name="stickyId"/>, when it is available.</summary>
    public BackendRuntime? FindSticky(ReadOnlySpan<byte> stickyId, long nowMs)
    {
        foreach (var backend in Backends)
        {
            if (backend.IsAvailable(nowMs) && stickyId.SequenceEqual(backend.StickyIdBytes))
            {
                return backend;
            }
        }
        return null;
    }
}
