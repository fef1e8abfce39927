namespace Sozu.Messages.Config;

/// <summary>Sōzu 2.1's defaults (command/src/config.rs), so that an operator's expectations carry over.</summary>
public static class Defaults
{
    public const int FrontTimeoutSeconds = 60;
    public const int BackTimeoutSeconds = 30;
    public const int ConnectTimeoutSeconds = 3;
    public const int RequestTimeoutSeconds = 10;
    public const int ZombieCheckIntervalSeconds = 1_800;

    /// <summary>tls_ticket_rotation: 12 h between two session-ticket keys (a key then opens tickets for up to 24 h).</summary>
    public const int TlsTicketRotationSeconds = 43_200;
    public const string StickyName = "SOZUBALANCEID";
    public const int MaxConnections = 10_000;
    public const int MaxBuffers = 1_000;

    /// <summary>Not a Sōzu key: the per-IP cap on connections in the middle of a request head.</summary>
    public const int MaxIncompleteHeadsPerIp = 64;
    public const int BufferSize = 16_393;
    public const int WorkerCount = 2;
    public const int BackendWeight = 100;
    public const int MaxCommandLineBytes = 1 << 20;
    public const int RetryAfterSeconds = 60;

    /// <summary>soft_stop_timeout: what the supervisor's grace before killing a stopping worker was.</summary>
    public const int SoftStopTimeoutSeconds = 30;
}
