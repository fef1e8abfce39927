namespace Sozu.Messages.Config;

/// <summary>
/// The process-level settings of the configuration file (everything but listeners and
/// clusters, which become requests). Paths are absolute once loaded.
/// </summary>
public sealed record GlobalConfig : ISozuMessage
{
    public string CommandSocket { get; init; } = "./sozu.sock";

    public string? SavedState { get; init; }

    public string LogLevel { get; init; } = "info";

    public string LogTarget { get; init; } = "stdout";

    public string? AccessLogsTarget { get; init; }

    public int WorkerCount { get; init; } = Defaults.WorkerCount;

    public bool WorkerAutomaticRestart { get; init; } = true;

    /// <summary>
    /// worker_standby: one booted, synced, not-yet-accepting process per worker that takes over
    /// when the worker dies (tens of milliseconds instead of a cold start's seconds). Costs one
    /// idle process per worker.
    /// </summary>
    public bool WorkerStandby { get; init; } = true;

    public int MaxConnections { get; init; } = Defaults.MaxConnections;

    public int MaxBuffers { get; init; } = Defaults.MaxBuffers;

    public int BufferSize { get; init; } = Defaults.BufferSize;

    public bool ActivateListeners { get; init; } = true;

    public int FrontTimeout { get; init; } = Defaults.FrontTimeoutSeconds;

    public int BackTimeout { get; init; } = Defaults.BackTimeoutSeconds;

    public int ConnectTimeout { get; init; } = Defaults.ConnectTimeoutSeconds;

    public int RequestTimeout { get; init; } = Defaults.RequestTimeoutSeconds;

    public int ZombieCheckInterval { get; init; } = Defaults.ZombieCheckIntervalSeconds;

    /// <summary>0 disables the cap.</summary>
    public int MaxConnectionsPerIp { get; init; }

    /// <summary>
    /// max_incomplete_heads_per_ip: connections one IP may have in the middle of a request head
    /// at once, per worker (slowloris defence); one more gets 408. 0 disables the cap.
    /// </summary>
    public int MaxIncompleteHeadsPerIp { get; init; } = Defaults.MaxIncompleteHeadsPerIp;

    public int MaxCommandLineBytes { get; init; } = Defaults.MaxCommandLineBytes;

    public MetricsConfig? Metrics { get; init; }
}
