using Sozu.Net.Backends;

namespace Sozu.Net.LoadBalancing;

/// <summary>RANDOM: each eligible backend with a probability proportional to its weight.</summary>
internal sealed class WeightedRandom(Random random) : ILoadBalancer
{
    public BackendRuntime? Pick(List<BackendRuntime> backends, long nowMs, BackendRuntime? exclude)
    {
        if (Candidates.Tier(backends, nowMs, exclude) is not { } backup)
        {
            return null;
        }
        long total = 0;
        foreach (var backend in backends)
        {
            if (Candidates.Eligible(backend, nowMs, exclude, backup))
            {
                total += backend.Config.Weight;
            }
        }
        var ticket = random.NextInt64(total);
        foreach (var backend in backends)
        {
            if (!Candidates.Eligible(backend, nowMs, exclude, backup))
            {
                continue;
            }
            ticket -= backend.Config.Weight;
            if (ticket < 0)
            {
                return backend;
            }
        }
        return null;
    }
}
