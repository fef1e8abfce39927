using Sozu.Messages.Config;
using Sozu.Net.Metrics;
using Sozu.Net.Sockets;

namespace Sozu.Net.Backends;

/// <summary>
/// A backend as the loop sees it: its configuration, its parsed address, live counters, its
/// passive health (consecutive connect failures and a back-off) and its idle keep-alive
/// connections (a LIFO stack: the most recently used is the least likely to be stale).
/// </summary>
internal sealed class BackendRuntime
{
    /// <summary>Consecutive connect failures after which the backend is skipped for a while.</summary>
    internal const int FailuresBeforeDown = 3;
    private const int MaxBackOffMs = 30_000;

    public BackendRuntime(Backend config, NativeAddress address)
    {
        Config = config;
        Address = address;
        StickyIdBytes = System.Text.Encoding.ASCII.GetBytes(config.EffectiveStickyId);
    }

    /// <summary>The sticky cookie value that selects this backend.</summary>
    public byte[] StickyIdBytes { get; private set; }

    public Backend Config { get; private set; }

    public NativeAddress Address { get; }

    public TrafficCounters Traffic { get; } = new();

    /// <summary>Connections checked out or connecting (what least-loaded would compare).</summary>
    public int ActiveConnections { get; set; }

    public int ConsecutiveFailures { get; private set; }

    /// <summary>Loop clock before which the backend is considered down.</summary>
    public long DownUntilMs { get; private set; }

    /// <summary>Removed from its cluster: its idle connections are closed and it is never picked again.</summary>
    public bool Removed { get; set; }

    public BackendConnection? IdleTop { get; set; }

    public int IdleCount { get; set; }

    public bool IsAvailable(long nowMs) => !Removed && DownUntilMs <= nowMs;

    public void Update(Backend config)
    {
        Config = config;
        StickyIdBytes = System.Text.Encoding.ASCII.GetBytes(config.EffectiveStickyId);
    }

    public void RecordConnectSuccess()
    {
        ConsecutiveFailures = 0;
        DownUntilMs = 0;
    }

    public void RecordConnectFailure(long nowMs)
    {
        Traffic.ConnectErrors++;
        ConsecutiveFailures++;
        if (ConsecutiveFailures >= FailuresBeforeDown)
        {
            // Exponential back-off from 1 s, capped, so a dead backend is probed rarely.
            var exponent = Math.Min(ConsecutiveFailures - FailuresBeforeDown, 5);
            DownUntilMs = nowMs + Math.Min(1000 << exponent, MaxBackOffMs);
        }
    }
}
