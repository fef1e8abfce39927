using Sozu.Messages.Config;

namespace Sozu.Net.LoadBalancing;

internal static class LoadBalancerFactory
{
    /// <summary>
    /// One instance per cluster. The load metric of LEAST_LOADED and POWER_OF_TWO is active
    /// connections for now (Sōzu's default); requests and connection time slot in behind <see cref="Load"/>.
    /// </summary>
    public static ILoadBalancer Create(LoadBalancingAlgorithm algorithm) => algorithm switch
    {
        LoadBalancingAlgorithm.Random => new WeightedRandom(new Random()),
        LoadBalancingAlgorithm.LeastLoaded => new LeastLoaded(),
        LoadBalancingAlgorithm.PowerOfTwo => new PowerOfTwo(new Random()),
        _ => new RoundRobin(),
    };
}
