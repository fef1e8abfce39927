using System.Runtime.InteropServices;
using Sozu.Messages.Config;
using Sozu.Net.Backends;

namespace Sozu.Net.LoadBalancing;

/// <summary>
/// LEAST_LOADED: the candidate with the lowest load for its weight (<see cref="LoadScore"/>),
/// one O(n) pass. The pass starts after the last pick, so equally loaded backends (all idle,
/// typically) take turns instead of the first one taking everything.
/// </summary>
internal sealed class LeastLoaded(LoadMetric metric) : ILoadBalancer
{
    private readonly int[] _next = new int[2];

    public LoadMetric Metric { get; } = metric;

    public void Rebuild(List<BackendRuntime> backends)
    {
    }

    public BackendRuntime? Pick(List<BackendRuntime> backends, long nowMs, BackendRuntime? exclude) =>
        PickTier(backends, nowMs, exclude, backup: false) ?? PickTier(backends, nowMs, exclude, backup: true);

    private BackendRuntime? PickTier(List<BackendRuntime> backends, long nowMs, BackendRuntime? exclude, bool backup)
    {
        var tier = backup ? 1 : 0;
        var span = CollectionsMarshal.AsSpan(backends);
        var count = span.Length;
        if (count == 0)
        {
            return null;
        }
        var start = _next[tier] % count;
        var bestIndex = -1;
        var bestScore = double.MaxValue;
        var zeroWeight = false;
        // One pass from start round to start - 1, wrapping without a division per backend.
        for (int i = 0, index = start; i < count; i++, index = index + 1 == count ? 0 : index + 1)
        {
            var backend = span[index];
            if (!Candidate.Is(backend, backup, exclude, nowMs))
            {
                continue;
            }
            if (backend.Weight == 0)
            {
                zeroWeight = true;
                continue;
            }
            var score = LoadScore.Of(backend, Metric, backend.Weight);
            if (score < bestScore)
            {
                bestScore = score;
                bestIndex = index;
            }
        }
        if (bestIndex < 0 && zeroWeight)
        {
            // Only weight-0 candidates: compared as if they all weighed 1.
            for (int i = 0, index = start; i < count; i++, index = index + 1 == count ? 0 : index + 1)
            {
                var backend = span[index];
                if (Candidate.Is(backend, backup, exclude, nowMs) && LoadScore.Of(backend, Metric, 1) is var score && score < bestScore)
                {
                    bestScore = score;
                    bestIndex = index;
                }
            }
        }
        if (bestIndex < 0)
        {
            return null;
        }
        _next[tier] = bestIndex + 1;
        return backends[bestIndex];
    }
}
