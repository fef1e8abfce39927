using Sozu.Messages.Config;
using Sozu.Net.Health;
using Sozu.Net.Metrics;
using Sozu.Net.Sockets;

namespace Sozu.Net.Backends;

/// <summary>
/// A backend as the loop sees it: its configuration (the fields the balancers read copied out,
/// so a pick touches one object per backend), live load counters, its health and its idle
/// keep-alive connections (a LIFO stack: the most recently used is the least likely to be stale).
/// </summary>
/// <remarks>
/// Health has two sources. Passive: <see cref="FailuresBeforeDown"/> failures in a row (a
/// refused or timed-out connect, or a reset before any response byte) mark it down; it is
/// tried again after a back-off of 1 s, 2 s, 4 s … capped at <see cref="MaxBackOffMs"/>, and
/// one success marks it up. Active (when the cluster has a health check): the probe's verdict
/// holds it down until the probe says healthy again, whatever the back-off says.
/// </remarks>
internal sealed class BackendRuntime
{
    /// <summary>Consecutive failures after which the backend is marked down.</summary>
    internal const int FailuresBeforeDown = 3;

    internal const int MaxBackOffMs = 30_000;

    // Peak EWMA decay: a sample weighs exp(-elapsed/tau) against the history.
    private const double EwmaDecayMs = 10_000;

    public BackendRuntime(Backend config, NativeAddress address)
    {
        Address = address;
        Config = config;
        Apply(config);
    }

    /// <summary>The sticky cookie value that selects this backend.</summary>
    public byte[] StickyIdBytes { get; private set; } = [];

    public Backend Config { get; private set; }

    public string ClusterId => Config.ClusterId;

    public NativeAddress Address { get; }

    /// <summary>The configured weight (0 = only when every candidate of its tier has 0).</summary>
    public int Weight { get; private set; }

    public bool IsBackup { get; private set; }

    public TrafficCounters Traffic { get; } = new();

    public LatencyCounters Latency { get; } = new();

    /// <summary>Connections checked out, connecting or piping (the "connections" load metric).</summary>
    public int ActiveConnections { get; set; }

    /// <summary>HTTP requests sent or being sent and not yet fully answered (the "requests" load metric).</summary>
    public int InFlightRequests { get; set; }

    /// <summary>Peak EWMA of connect and response times, in ms (the "connection_time" load metric).</summary>
    public double ResponseTimeEwmaMs { get; private set; }

    private long _lastSampleMs;

    /// <summary>Smooth weighted round robin's running score (owned by the cluster's balancer).</summary>
    internal long RoundRobinCurrent;

    public bool Down { get; private set; }

    /// <summary>An active health check found it unhealthy: only the check can bring it back.</summary>
    public bool HeldDownByHealthCheck { get; private set; }

    public int ConsecutiveFailures { get; private set; }

    /// <summary>Loop clock from which a passively-down backend is tried again.</summary>
    public long RetryAtMs { get; private set; }

    /// <summary>Removed from its cluster: never picked again; its idle connections are closed.</summary>
    public bool Removed { get; set; }

    /// <summary>The removal event was raised (once the last connection ended).</summary>
    public bool DrainReported { get; set; }

    /// <summary>The active health check of this backend, when its cluster has one.</summary>
    public HealthProbe? Probe { get; set; }

    public BackendConnection? IdleTop { get; set; }

    public int IdleCount { get; set; }

    public bool IsAvailable(long nowMs) => !Removed && (!Down || (!HeldDownByHealthCheck && RetryAtMs <= nowMs));

    public void Update(Backend config)
    {
        Config = config;
        Apply(config);
    }

    private void Apply(Backend config)
    {
        StickyIdBytes = System.Text.Encoding.ASCII.GetBytes(config.EffectiveStickyId);
        Weight = Math.Max(0, config.Weight);
        IsBackup = config.Backup;
    }

    /// <summary>A connect or an exchange succeeded; true when this brought the backend back up.</summary>
    public bool RecordSuccess()
    {
        ConsecutiveFailures = 0;
        RetryAtMs = 0;
        if (Down && !HeldDownByHealthCheck)
        {
            Down = false;
            return true;
        }
        return false;
    }

    /// <summary>A connect failed, or the backend reset before answering; true when this marked it down.</summary>
    public bool RecordFailure(long nowMs)
    {
        ConsecutiveFailures++;
        if (ConsecutiveFailures < FailuresBeforeDown)
        {
            return false;
        }
        // 1 s, 2 s, 4 s … so a dead backend costs one failed connect per back-off, not one per request.
        var exponent = Math.Min(ConsecutiveFailures - FailuresBeforeDown, 15);
        RetryAtMs = nowMs + Math.Min(1000L << exponent, MaxBackOffMs);
        if (Down)
        {
            return false;
        }
        Down = true;
        return true;
    }

    /// <summary>
    /// A passively-down backend was picked for its retry: that one exchange is the probe, no
    /// other pick reaches it before <paramref name="untilMs"/> unless the probe succeeds first
    /// (a failure sets the next, longer back-off).
    /// </summary>
    public void BeginRetry(long untilMs)
    {
        if (Down && !HeldDownByHealthCheck)
        {
            RetryAtMs = untilMs;
        }
    }

    /// <summary>The active check crossed its unhealthy threshold; true when this marked it down.</summary>
    public bool MarkUnhealthy()
    {
        HeldDownByHealthCheck = true;
        if (Down)
        {
            return false;
        }
        Down = true;
        return true;
    }

    /// <summary>The active check crossed its healthy threshold; true when this brought it back up.</summary>
    public bool MarkHealthy()
    {
        HeldDownByHealthCheck = false;
        ConsecutiveFailures = 0;
        RetryAtMs = 0;
        if (!Down)
        {
            return false;
        }
        Down = false;
        return true;
    }

    /// <summary>
    /// Peak EWMA (Finagle's): a slower sample replaces the average at once, faster ones pull it
    /// down gradually, so a backend that turns slow is avoided at once and trusted back slowly.
    /// </summary>
    public void RecordResponseTime(long elapsedMs, long nowMs)
    {
        var sample = (double)Math.Max(0, elapsedMs);
        if (sample >= ResponseTimeEwmaMs)
        {
            ResponseTimeEwmaMs = sample;
        }
        else
        {
            var keep = Math.Exp(-Math.Max(0, nowMs - _lastSampleMs) / EwmaDecayMs);
            ResponseTimeEwmaMs = (ResponseTimeEwmaMs * keep) + (sample * (1 - keep));
        }
        _lastSampleMs = nowMs;
    }
}
