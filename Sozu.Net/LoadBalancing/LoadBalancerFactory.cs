using Sozu.Messages.Config;

namespace Sozu.Net.LoadBalancing;

internal static class LoadBalancerFactory
{
    /// <summary>
    /// Round robin for every algorithm for now: RANDOM, LEAST_LOADED and POWER_OF_TWO slot in
    /// here behind <see cref="ILoadBalancer"/> without touching the sessions.
    /// </summary>
    public static ILoadBalancer Create(LoadBalancingAlgorithm algorithm) => algorithm switch
    {
        _ => new RoundRobin(),
    };
}
