using Sozu.Messages.Config;
using Sozu.Net.Backends;

namespace Sozu.Net.LoadBalancing;

/// <summary>
/// POWER_OF_TWO: two weighted random draws (distinct when the tier has two candidates), and
/// the less loaded of the two. Nearly as good as least-loaded at spreading load while costing
/// two O(log n) draws, and it never sends a burst to the single least loaded backend the way
/// an exact minimum does when loads are stale. The weights act through the draws only: the
/// loads are compared as they are, else a heavy backend would be favoured twice.
/// </summary>
internal sealed class PowerOfTwoChoices(LoadMetric metric, FastRandom random) : ILoadBalancer
{
    private readonly WeightedRandom _draw = new(random);

    public PowerOfTwoChoices(LoadMetric metric)
        : this(metric, FastRandom.FromClock())
    {
    }

    public LoadMetric Metric { get; } = metric;

    public void Rebuild(List<BackendRuntime> backends) => _draw.Rebuild(backends);

    public BackendRuntime? Pick(List<BackendRuntime> backends, long nowMs, BackendRuntime? exclude)
    {
        DrawCandidates(backends, nowMs, exclude, out var first, out var second);
        return Choose(first, second);
    }

    /// <summary>The two candidates a pick compares (<paramref name="second"/> null when the tier has only one).</summary>
    internal void DrawCandidates(List<BackendRuntime> backends, long nowMs, BackendRuntime? exclude, out BackendRuntime? first, out BackendRuntime? second)
    {
        var backup = false;
        first = _draw.PickTier(backends, nowMs, exclude, backup);
        if (first is null)
        {
            backup = true;
            first = _draw.PickTier(backends, nowMs, exclude, backup);
        }
        second = first is null ? null : _draw.PickTier(backends, nowMs, exclude, backup, alsoExclude: first);
    }

    /// <summary>The less loaded of the two; the first on a tie.</summary>
    internal BackendRuntime? Choose(BackendRuntime? first, BackendRuntime? second)
    {
        if (first is null || second is null)
        {
            return first;
        }
        return LoadScore.Of(second, Metric, 1) < LoadScore.Of(first, Metric, 1) ? second : first;
    }
}
