using Sozu.Net.Backends;

namespace Sozu.Net.LoadBalancing;

/// <summary>POWER_OF_TWO: two eligible backends drawn at random, the less loaded wins (no scan of every load).</summary>
internal sealed class PowerOfTwo(Random random) : ILoadBalancer
{
    public BackendRuntime? Pick(List<BackendRuntime> backends, long nowMs, BackendRuntime? exclude)
    {
        if (Candidates.Tier(backends, nowMs, exclude) is not { } backup)
        {
            return null;
        }
        var eligible = 0;
        foreach (var backend in backends)
        {
            if (Candidates.Eligible(backend, nowMs, exclude, backup))
            {
                eligible++;
            }
        }
        var first = Nth(backends, nowMs, exclude, backup, random.Next(eligible));
        if (eligible == 1)
        {
            return first;
        }
        var second = Nth(backends, nowMs, exclude, backup, (random.Next(eligible - 1) + 1 + IndexAmongEligible(backends, nowMs, exclude, backup, first!)) % eligible);
        return Load.Compare(first!, second!) <= 0 ? first : second;
    }

    private static BackendRuntime? Nth(List<BackendRuntime> backends, long nowMs, BackendRuntime? exclude, bool backup, int n)
    {
        foreach (var backend in backends)
        {
            if (Candidates.Eligible(backend, nowMs, exclude, backup) && n-- == 0)
            {
                return backend;
            }
        }
        return null;
    }

    private static int IndexAmongEligible(List<BackendRuntime> backends, long nowMs, BackendRuntime? exclude, bool backup, BackendRuntime target)
    {
        var index = 0;
        foreach (var backend in backends)
        {
            if (backend == target)
            {
                return index;
            }
            if (Candidates.Eligible(backend, nowMs, exclude, backup))
            {
                index++;
            }
        }
        return 0;
    }
}
