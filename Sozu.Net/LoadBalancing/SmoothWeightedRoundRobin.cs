using System.Runtime.InteropServices;
using Sozu.Net.Backends;

namespace Sozu.Net.LoadBalancing;

/// <summary>
/// ROUND_ROBIN, weighted and deterministic. Equal weights (the common case) are a plain
/// rotation, O(1) while backends are up. Unequal weights use nginx's smooth weighted round
/// robin: every candidate gains its weight, the highest score is picked and loses the tier's
/// total, so over any run of total-weight picks each backend gets exactly its weight, spread
/// out rather than in bursts (weights 5,1,1 give a a b a c a a, not a a a a a b c). O(n).
/// </summary>
internal sealed class SmoothWeightedRoundRobin : ILoadBalancer
{
    private readonly int[] _next = new int[2];
    private readonly bool[] _uniform = new bool[2];

    public void Rebuild(List<BackendRuntime> backends)
    {
        _uniform[0] = SameWeight(backends, backup: false);
        _uniform[1] = SameWeight(backends, backup: true);
        foreach (var backend in backends)
        {
            backend.RoundRobinCurrent = 0;
        }
    }

    public BackendRuntime? Pick(List<BackendRuntime> backends, long nowMs, BackendRuntime? exclude) =>
        PickTier(backends, nowMs, exclude, backup: false) ?? PickTier(backends, nowMs, exclude, backup: true);

    private BackendRuntime? PickTier(List<BackendRuntime> backends, long nowMs, BackendRuntime? exclude, bool backup)
    {
        var tier = backup ? 1 : 0;
        if (_uniform[tier])
        {
            return Rotate(backends, nowMs, exclude, backup, tier);
        }
        BackendRuntime? best = null;
        long total = 0;
        foreach (var backend in CollectionsMarshal.AsSpan(backends))
        {
            if (backend.Weight == 0 || !Candidate.Is(backend, backup, exclude, nowMs))
            {
                continue;
            }
            backend.RoundRobinCurrent += backend.Weight;
            total += backend.Weight;
            if (best is null || backend.RoundRobinCurrent > best.RoundRobinCurrent)
            {
                best = backend;
            }
        }
        if (best is null)
        {
            // Only weight-0 candidates are left: they share equally.
            return Rotate(backends, nowMs, exclude, backup, tier);
        }
        best.RoundRobinCurrent -= total;
        return best;
    }

    private BackendRuntime? Rotate(List<BackendRuntime> backends, long nowMs, BackendRuntime? exclude, bool backup, int tier)
    {
        var span = CollectionsMarshal.AsSpan(backends);
        var count = span.Length;
        if (count == 0)
        {
            return null;
        }
        var start = _next[tier] % count;
        for (int i = 0, index = start; i < count; i++, index = index + 1 == count ? 0 : index + 1)
        {
            var candidate = span[index];
            if (Candidate.Is(candidate, backup, exclude, nowMs))
            {
                _next[tier] = index + 1;
                return candidate;
            }
        }
        return null;
    }

    private static bool SameWeight(List<BackendRuntime> backends, bool backup)
    {
        var weight = -1;
        foreach (var backend in backends)
        {
            if (backend.IsBackup != backup)
            {
                continue;
            }
            if (weight >= 0 && backend.Weight != weight)
            {
                return false;
            }
            weight = backend.Weight;
        }
        return true;
    }
}
