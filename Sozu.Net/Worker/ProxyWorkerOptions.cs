using Sozu.Messages.Collections;
using Sozu.Messages.Config;

namespace Sozu.Net.Worker;

/// <summary>
/// The limits of one worker. Timeouts live on each listener (Sōzu's model: front, back,
/// connect and request timeouts are listener fields); the global ones of the configuration
/// file are the defaults of listeners the loader creates.
/// </summary>
public sealed record ProxyWorkerOptions
{
    public int MaxConnections { get; init; } = Defaults.MaxConnections;

    public int MaxBuffers { get; init; } = Defaults.MaxBuffers;

    public int BufferSize { get; init; } = Defaults.BufferSize;

    /// <summary>Idle keep-alive connections kept per backend; more are closed when returned.</summary>
    public int MaxIdleConnectionsPerBackend { get; init; } = 64;

    /// <summary>Listening sockets inherited from a previous process ("ip:port" → fd), adopted on activation.</summary>
    public IReadOnlyDictionary<string, int> InheritedListenerFds { get; init; } = new Dictionary<string, int>();

    /// <summary>
    /// The supervisor's <see cref="Listeners.SharedListenSocketServer"/> path: a listener with no
    /// inherited socket asks it for the shared one on activation (and binds its own, with
    /// SO_REUSEPORT, when it cannot have it). Null: always bind.
    /// </summary>
    public string? SharedListenerSource { get; init; }

    /// <summary>
    /// Concurrent client connections one source IP may hold on one cluster, for clusters that do
    /// not set their own; 0 is no cap. Over it, HTTP gets 429 and TCP is closed.
    /// </summary>
    public int MaxConnectionsPerIp { get; init; }

    /// <summary>
    /// Connections one client IP may have in the middle of a request head at once (0: no cap);
    /// one more is answered 408 and closed. A head normally arrives in one read and is never
    /// counted; what waits with a partial head is a slow link or a slowloris. Default 64: a
    /// NAT of many slow clients stays far below it, and a single host cannot park more.
    /// </summary>
    public int MaxIncompleteHeadsPerIp { get; init; } = Defaults.MaxIncompleteHeadsPerIp;

    /// <summary>The Retry-After of the 429 answered over the per-IP cap, in seconds; 0 leaves the header out.</summary>
    public int RetryAfterSeconds { get; init; } = Defaults.RetryAfterSeconds;

    /// <summary>
    /// How long a TLS handshake may take from accept, however the client trickles its bytes; past
    /// it the connection is closed and counted (<c>HandshakeTimeouts</c>). The listener's
    /// front_timeout still applies when it is shorter. SPEC has no key for it, so it is a worker
    /// setting. Default 10 s, as HAProxy would have it: its manual sizes the timeout that guards
    /// a connection's opening phase against clients that send nothing or trickle
    /// ("timeout http-request") at a few seconds plus about 3 s for TCP retransmits; nginx only
    /// bounds a handshake by its generic client_header_timeout (60 s), which lets a silent
    /// socket hold a slot as long as any slow client. A handshake is two round trips and about
    /// a millisecond of CPU, so 10 s fails no real client (Kestrel's HandshakeTimeout default
    /// is also 10 s) and frees a stalled one six times sooner than the 60 s front_timeout.
    /// </summary>
    public TimeSpan TlsHandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// soft_stop_timeout: how long a soft stop lets the sessions in flight finish before closing
    /// the rest (TCP tunnels and WebSockets have no natural end). Default: 30 s.
    /// </summary>
    public TimeSpan SoftStopTimeout { get; init; } = TimeSpan.FromSeconds(Defaults.SoftStopTimeoutSeconds);

    /// <summary>Stable id put in the request id header and in logs.</summary>
    public int WorkerId { get; init; }

    public static ProxyWorkerOptions From(GlobalConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new ProxyWorkerOptions
        {
            MaxConnections = config.MaxConnections,
            MaxBuffers = config.MaxBuffers,
            BufferSize = config.BufferSize,
            MaxConnectionsPerIp = config.MaxConnectionsPerIp,
            RetryAfterSeconds = config.RetryAfter,
            MaxIncompleteHeadsPerIp = config.MaxIncompleteHeadsPerIp,
            SoftStopTimeout = TimeSpan.FromSeconds(config.SoftStopTimeout),
        };
    }

    /// <summary>A clear message for each limit that makes no sense, empty when all are fine.</summary>
    public ValueList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxConnections < 1)
        {
            errors.Add($"max_connections must be at least 1, got {MaxConnections}");
        }
        if (MaxBuffers < 1)
        {
            errors.Add($"max_buffers must be at least 1, got {MaxBuffers}");
        }
        if (BufferSize < 4096)
        {
            errors.Add($"buffer_size must be at least 4096 bytes, got {BufferSize}");
        }
        if (MaxIdleConnectionsPerBackend < 0)
        {
            errors.Add($"the idle connections per backend cannot be negative, got {MaxIdleConnectionsPerBackend}");
        }
        if (MaxConnectionsPerIp < 0)
        {
            errors.Add($"max_connections_per_ip cannot be negative, got {MaxConnectionsPerIp}");
        }
        if (MaxIncompleteHeadsPerIp < 0)
        {
            errors.Add($"max_incomplete_heads_per_ip cannot be negative, got {MaxIncompleteHeadsPerIp}");
        }
        if (RetryAfterSeconds < 0)
        {
            errors.Add($"retry_after cannot be negative, got {RetryAfterSeconds}");
        }
        if (SoftStopTimeout < TimeSpan.Zero)
        {
            errors.Add($"soft_stop_timeout cannot be negative, got {SoftStopTimeout.TotalSeconds} s");
        }
        if (TlsHandshakeTimeout <= TimeSpan.Zero)
        {
            errors.Add($"the TLS handshake timeout must be positive, got {TlsHandshakeTimeout}");
        }
        return ValueList<string>.From(errors);
    }
}
