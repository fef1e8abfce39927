using Sozu.Net.Backends;

namespace Sozu.Net.LoadBalancing;

/// <summary>LEAST_LOADED: the eligible backend with the fewest active connections per unit of weight.</summary>
internal sealed class LeastLoaded : ILoadBalancer
{
    public BackendRuntime? Pick(List<BackendRuntime> backends, long nowMs, BackendRuntime? exclude)
    {
        if (Candidates.Tier(backends, nowMs, exclude) is not { } backup)
        {
            return null;
        }
        BackendRuntime? best = null;
        foreach (var backend in backends)
        {
            if (Candidates.Eligible(backend, nowMs, exclude, backup) && (best is null || Load.Compare(backend, best) < 0))
            {
                best = backend;
            }
        }
        return best;
    }
}
