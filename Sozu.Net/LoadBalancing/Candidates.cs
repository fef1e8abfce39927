using Sozu.Net.Backends;

namespace Sozu.Net.LoadBalancing;

/// <summary>What every algorithm filters first: available backends, primaries before backups.</summary>
internal static class Candidates
{
    /// <summary>Whether <paramref name="backend"/> may be picked in the tier <paramref name="backup"/>.</summary>
    public static bool Eligible(BackendRuntime backend, long nowMs, BackendRuntime? exclude, bool backup) =>
        backend.Config.Backup == backup && backend != exclude && backend.IsAvailable(nowMs) && backend.Config.Weight > 0;

    /// <summary>The tier to pick from: primaries when any is eligible, else backups; null when none is.</summary>
    public static bool? Tier(List<BackendRuntime> backends, long nowMs, BackendRuntime? exclude)
    {
        var backupAvailable = false;
        foreach (var backend in backends)
        {
            if (Eligible(backend, nowMs, exclude, backup: false))
            {
                return false;
            }
            backupAvailable |= Eligible(backend, nowMs, exclude, backup: true);
        }
        return backupAvailable ? true : null;
    }
}
