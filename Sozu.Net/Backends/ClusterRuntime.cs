using Sozu.Messages.Config;
using Sozu.Net.Http1.Answers;
using Sozu.Net.LoadBalancing;
using Sozu.Net.Metrics;

namespace Sozu.Net.Backends;

/// <summary>A cluster on the loop: its configuration, its backends and the algorithm that picks among them.</summary>
internal sealed class ClusterRuntime
{
    private ClusterRuntime(Cluster config, AnswerTemplate? answer503)
    {
        Config = config;
        Balancer = LoadBalancerFactory.Create(config.LoadBalancing);
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

    public List<BackendRuntime> Backends { get; } = [];

    public ILoadBalancer Balancer { get; private set; }

    public TrafficCounters Traffic { get; } = new();

    /// <summary>The cluster's own 503, replacing the listener's.</summary>
    public AnswerTemplate? Answer503 { get; private set; }

    public bool TryUpdate(Cluster config, out string error)
    {
        if (!TryParseAnswer(config, out var answer, out error))
        {
            return false;
        }
        if (config.LoadBalancing != Config.LoadBalancing)
        {
            Balancer = LoadBalancerFactory.Create(config.LoadBalancing);
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

    /// <summary>An available backend other than <paramref name="exclude"/> (the one that just failed), or null.</summary>
    public BackendRuntime? Pick(long nowMs, BackendRuntime? exclude = null) => Balancer.Pick(Backends, nowMs, exclude);
}
