namespace Sozu.Net.Metrics;

/// <summary>
/// Plain counters owned by the loop thread (no interlocked operations on the hot path); a
/// query copies them into a <see cref="TrafficSnapshot"/> on that same thread.
/// </summary>
internal sealed class TrafficCounters
{
    public long ConnectionsAccepted;
    public long ConnectionsRefused;
    public long ActiveConnections;
    public long Requests;
    public long BytesIn;
    public long BytesOut;
    public long Status1xx;
    public long Status2xx;
    public long Status3xx;
    public long Status4xx;
    public long Status5xx;
    public long ConnectErrors;
    public long Timeouts;

    /// <summary>Connections refused (HTTP 429, TCP closed) because their IP was at the per-IP cap.</summary>
    public long OverIpLimit;

    /// <summary>Backend responses refused as malformed (bad status line, framing or field): 502, connection closed.</summary>
    public long MalformedResponses;

    public void CountStatus(int status)
    {
        switch (status / 100)
        {
            case 1: Status1xx++; break;
            case 2: Status2xx++; break;
            case 3: Status3xx++; break;
            case 4: Status4xx++; break;
            default: Status5xx++; break;
        }
    }

    public TrafficSnapshot Snapshot() => new(
        ConnectionsAccepted, ConnectionsRefused, ActiveConnections, Requests, BytesIn, BytesOut,
        Status1xx, Status2xx, Status3xx, Status4xx, Status5xx, ConnectErrors, Timeouts, OverIpLimit, MalformedResponses);
}
