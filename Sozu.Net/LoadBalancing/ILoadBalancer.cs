using Sozu.Net.Backends;

namespace Sozu.Net.LoadBalancing;

/// <summary>
/// Picks a backend for a new connection or request. Called on the loop thread; must not
/// allocate. Backups serve only when no primary is available.
/// </summary>
internal interface ILoadBalancer
{
    BackendRuntime? Pick(List<BackendRuntime> backends, long nowMs, BackendRuntime? exclude);
}
