namespace Sozu.Messages.Config;

/// <summary>Active HTTP health check of a cluster's backends (Sōzu 2 defaults).</summary>
public sealed record HealthCheckConfig
{
    public string Uri { get; init; } = "/";

    public int IntervalSeconds { get; init; } = 10;

    public int TimeoutSeconds { get; init; } = 5;

    public int HealthyThreshold { get; init; } = 3;

    public int UnhealthyThreshold { get; init; } = 3;

    /// <summary>0 means any 2xx.</summary>
    public int ExpectedStatus { get; init; }
}
