using Sozu.Messages.Config;

namespace Sozu.Net.LoadBalancing;

internal static class LoadBalancerFactory
{
    /// <summary>The balancer for a cluster's algorithm; the metric matters to least-loaded and power-of-two (default: connections).</summary>
    public static ILoadBalancer Create(LoadBalancingAlgorithm algorithm, LoadMetric? metric) => algorithm switch
    {
        LoadBalancingAlgorithm.Random => new WeightedRandom(),
        LoadBalancingAlgorithm.LeastLoaded => new LeastLoaded(metric ?? LoadMetric.Connections),
        LoadBalancingAlgorithm.PowerOfTwo => new PowerOfTwoChoices(metric ?? LoadMetric.Connections),
        _ => new SmoothWeightedRoundRobin(),
    };
}
