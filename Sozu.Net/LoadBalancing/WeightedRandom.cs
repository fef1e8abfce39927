using System.Runtime.InteropServices;
using Sozu.Net.Backends;

namespace Sozu.Net.LoadBalancing;

/// <summary>
/// RANDOM, weighted: a draw from the cumulative weights (O(log n)), redrawn a few times when it
/// lands on a backend that is down or excluded, which keeps the shares of the remaining ones
/// exact. When most of the tier is down the redraws give up and one O(n) pass over the
/// candidates draws instead.
/// </summary>
internal sealed class WeightedRandom(FastRandom random) : ILoadBalancer
{
    private const int Redraws = 4;

    private readonly WeightTable _primaries = new();
    private readonly WeightTable _backups = new();
    private FastRandom _random = random;

    public WeightedRandom()
        : this(FastRandom.FromClock())
    {
    }

    public void Rebuild(List<BackendRuntime> backends)
    {
        _primaries.Rebuild(backends, backup: false);
        _backups.Rebuild(backends, backup: true);
    }

    public BackendRuntime? Pick(List<BackendRuntime> backends, long nowMs, BackendRuntime? exclude) =>
        PickTier(backends, nowMs, exclude, backup: false) ?? PickTier(backends, nowMs, exclude, backup: true);

    /// <summary>One weighted draw among the candidates of a tier (also the two draws of power-of-two, the second excluding the first as well).</summary>
    internal BackendRuntime? PickTier(List<BackendRuntime> backends, long nowMs, BackendRuntime? exclude, bool backup, BackendRuntime? alsoExclude = null)
    {
        var table = backup ? _backups : _primaries;
        for (var i = 0; i < Redraws; i++)
        {
            var index = table.Draw(ref _random);
            if (index < 0 || index >= backends.Count)
            {
                break;
            }
            var drawn = backends[index];
            if (Candidate.Is(drawn, backup, exclude, nowMs) && !ReferenceEquals(drawn, alsoExclude))
            {
                return drawn;
            }
        }
        return Scan(backends, nowMs, exclude, backup, alsoExclude);
    }

    private BackendRuntime? Scan(List<BackendRuntime> backends, long nowMs, BackendRuntime? exclude, bool backup, BackendRuntime? alsoExclude)
    {
        long total = 0;
        var zeroWeight = 0;
        foreach (var backend in CollectionsMarshal.AsSpan(backends))
        {
            if (Candidate.Is(backend, backup, exclude, nowMs) && !ReferenceEquals(backend, alsoExclude))
            {
                total += backend.Weight;
                zeroWeight += backend.Weight == 0 ? 1 : 0;
            }
        }
        // Only weight-0 candidates left: each counts as 1.
        var uniform = total == 0;
        if (uniform && zeroWeight == 0)
        {
            return null;
        }
        var target = _random.NextBelow(uniform ? zeroWeight : total);
        foreach (var backend in CollectionsMarshal.AsSpan(backends))
        {
            if (!Candidate.Is(backend, backup, exclude, nowMs) || ReferenceEquals(backend, alsoExclude))
            {
                continue;
            }
            target -= uniform ? 1 : backend.Weight;
            if (target < 0)
            {
                return backend;
            }
        }
        return null;
    }
}
