using System.Runtime.CompilerServices;
using Sozu.Net.Backends;

namespace Sozu.Net.LoadBalancing;

internal static class Candidate
{
    /// <summary>In the tier being picked from, not the one that just failed, and up (or due for a retry).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Is(BackendRuntime backend, bool backup, BackendRuntime? exclude, long nowMs) =>
        backend.IsBackup == backup && !ReferenceEquals(backend, exclude) && backend.IsAvailable(nowMs);
}
