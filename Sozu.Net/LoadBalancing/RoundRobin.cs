using Sozu.Net.Backends;

namespace Sozu.Net.LoadBalancing;

/// <summary>Each available backend in turn, skipping those marked down; backups only when no primary is up.</summary>
internal sealed class RoundRobin : ILoadBalancer
{
    private int _next;

    public BackendRuntime? Pick(List<BackendRuntime> backends, long nowMs, BackendRuntime? exclude) =>
        PickAmong(backends, nowMs, exclude, backup: false) ?? PickAmong(backends, nowMs, exclude, backup: true);

    private BackendRuntime? PickAmong(List<BackendRuntime> backends, long nowMs, BackendRuntime? exclude, bool backup)
    {
        var count = backends.Count;
        for (var i = 0; i < count; i++)
        {
            var index = (int)((uint)(_next + i) % (uint)count);
            var candidate = backends[index];
            if (candidate.Config.Backup == backup && candidate != exclude && candidate.IsAvailable(nowMs))
            {
                _next = index + 1;
                return candidate;
            }
        }
        return null;
    }
}
