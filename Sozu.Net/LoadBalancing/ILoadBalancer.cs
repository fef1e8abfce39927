using Sozu.Net.Backends;

namespace Sozu.Net.LoadBalancing;

/// <summary>
/// Picks a backend for a new connection or request; called on the loop thread, allocates nothing.
/// </summary>
/// <remarks>
/// Rules every algorithm keeps (see README.md here): only available backends are candidates;
/// backups only when no primary is a candidate; a backend of weight 0 only when every candidate
/// of its tier has weight 0 (they then share equally, so a cluster configured all-zero still
/// serves); otherwise the share of a backend is its weight over the tier's total.
/// </remarks>
internal interface ILoadBalancer
{
    /// <summary>The cluster's backends, their weights or their backup flags changed.</summary>
    void Rebuild(List<BackendRuntime> backends);

    /// <summary>An available backend other than <paramref name="exclude"/>, or null when there is none.</summary>
    BackendRuntime? Pick(List<BackendRuntime> backends, long nowMs, BackendRuntime? exclude);
}
