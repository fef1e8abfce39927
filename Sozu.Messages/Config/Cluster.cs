namespace Sozu.Messages.Config;

/// <summary>A group of backends serving the same application, and how to balance between them.</summary>
public sealed record Cluster : ISozuMessage
{
    public required string ClusterId { get; init; }

    public LoadBalancingAlgorithm LoadBalancing { get; init; } = LoadBalancingAlgorithm.RoundRobin;

    public LoadMetric? LoadMetric { get; init; }

    public bool StickySession { get; init; }

    public bool HttpsRedirect { get; init; }

    public ProxyProtocolConfig? ProxyProtocol { get; init; }

    /// <summary>A raw HTTP answer replacing the listener's 503 for this cluster.</summary>
    public string? Answer503 { get; init; }

    /// <summary>Overrides the global per-IP concurrent connection cap; 0 disables it.</summary>
    public int? MaxConnectionsPerIp { get; init; }

    public HealthCheckConfig? HealthCheck { get; init; }
}
