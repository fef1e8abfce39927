namespace Sozu.Messages.Config;

/// <summary>Where workers send statsd metrics, and where the Prometheus endpoint listens.</summary>
public sealed record MetricsConfig
{
    /// <summary>"ip:port" of the statsd server (UDP).</summary>
    public string? Address { get; init; }

    public bool TaggedMetrics { get; init; }

    public string Prefix { get; init; } = "sozu";

    /// <summary>"ip:port" for the Prometheus text endpoint; null disables it.</summary>
    public string? PrometheusAddress { get; init; }
}
