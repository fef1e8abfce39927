using Sozu.Messages.Collections;

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

    /// <summary>access_logs_format: "ascii", the only layout written (Sōzu's protobuf one is refused).</summary>
    public string AccessLogsFormat { get; init; } = "ascii";

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

    /// <summary>retry_after: the Retry-After (seconds) of the 429 answered over the per-IP cap; 0 leaves the header out.</summary>
    public int RetryAfter { get; init; } = Defaults.RetryAfterSeconds;

    /// <summary>
    /// max_incomplete_heads_per_ip: connections one IP may have in the middle of a request head
    /// at once, per worker (slowloris defence); one more gets 408. 0 disables the cap.
    /// </summary>
    public int MaxIncompleteHeadsPerIp { get; init; } = Defaults.MaxIncompleteHeadsPerIp;

    /// <summary>
    /// soft_stop_timeout: how long (seconds) a soft stop (soft_stop, SIGTERM, the old worker of an
    /// upgrade) lets the sessions in flight finish before closing the rest.
    /// </summary>
    public int SoftStopTimeout { get; init; } = Defaults.SoftStopTimeoutSeconds;

    public int MaxCommandLineBytes { get; init; } = Defaults.MaxCommandLineBytes;

    /// <summary>
    /// command_allowed_uids: the uids (besides root and the supervisor's own) that may use the
    /// command socket, checked against the peer's kernel credentials; null: the file mode (0600) decides.
    /// </summary>
    public ValueList<uint>? CommandAllowedUids { get; init; }

    public MetricsConfig? Metrics { get; init; }

    /// <summary>
    /// tls_ticket_rotation (this product's own key; Sōzu has none): seconds between two
    /// session-ticket key rotations. The supervisor draws the keys and hands them to every worker;
    /// a ticket opens for up to two periods. Default: 12 h.
    /// </summary>
    public int TlsTicketRotation { get; init; } = Defaults.TlsTicketRotationSeconds;

    /// <summary>
    /// user (HAProxy's key): started as root, the supervisor switches to this account once it has
    /// opened the listening sockets and read the files, and every worker it starts runs as it.
    /// Null: no switch. Validated when the file is read (an unknown user is an error there).
    /// </summary>
    public string? User { get; init; }

    /// <summary>group (HAProxy's key): the group to switch to; null: the user's primary group (or none when there is no user).</summary>
    public string? Group { get; init; }
}
