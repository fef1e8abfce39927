using Sozu.Messages.Collections;

namespace Sozu.Messages.Answers;

/// <summary>
/// Counters of one scope (the proxy, a listener, a cluster or a backend), summed over workers.
/// Status classes count answers sent to clients. Bytes: for the proxy, a listener or a cluster,
/// client-side (in: received from clients, out: sent to them, plaintext under TLS); for a
/// backend, backend-side (in: received from the backend, out: sent to it).
/// </summary>
public sealed record TrafficMetrics(
    long Requests,
    long Status1xx,
    long Status2xx,
    long Status3xx,
    long Status4xx,
    long Status5xx,
    long BytesIn,
    long BytesOut,
    long ActiveConnections,
    long ConnectionsAccepted,
    long ConnectionsRefused,
    long ConnectErrors,
    long Timeouts,
    long MalformedResponses = 0)
{
    public static readonly TrafficMetrics Zero = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public TrafficMetrics Plus(TrafficMetrics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(
            Requests + other.Requests,
            Status1xx + other.Status1xx,
            Status2xx + other.Status2xx,
            Status3xx + other.Status3xx,
            Status4xx + other.Status4xx,
            Status5xx + other.Status5xx,
            BytesIn + other.BytesIn,
            BytesOut + other.BytesOut,
            ActiveConnections + other.ActiveConnections,
            ConnectionsAccepted + other.ConnectionsAccepted,
            ConnectionsRefused + other.ConnectionsRefused,
            ConnectErrors + other.ConnectErrors,
            Timeouts + other.Timeouts,
            MalformedResponses + other.MalformedResponses);
    }
}

/// <param name="Tls">HTTPS listeners only.</param>
/// <param name="ProxyProtocol">Listeners that expect a PROXY header only.</param>
public sealed record ListenerMetrics(string Address, string Protocol, TrafficMetrics Traffic, TlsMetrics? Tls = null, ProxyHeaderMetrics? ProxyProtocol = null);

public sealed record BackendMetrics(string BackendId, string Address, bool Available, TrafficMetrics Traffic, LatencyMetrics Latency);

public sealed record ClusterMetrics(string ClusterId, TrafficMetrics Traffic, LatencyMetrics Latency, ValueList<BackendMetrics> Backends);

/// <summary>Process-wide figures of the workers: sessions, buffer pool, pooled backend connections.</summary>
/// <param name="BuffersPeak">Each worker's most buffers out at once since it started, summed.</param>
/// <param name="IncompleteHeads">Connections waiting for the rest of a request head.</param>
/// <param name="HeadBytesStashed">Bytes those heads hold.</param>
/// <param name="HeadsEvicted">Incomplete heads closed (408) because a buffer pool ran low.</param>
/// <param name="HeadsRefusedPerIp">Incomplete heads refused (408) over max_incomplete_heads_per_ip.</param>
public sealed record ProxyMetrics(
    int Workers,
    long Sessions,
    long BuffersInUse,
    long MaxBuffers,
    long BufferExhaustions,
    long BackendConnectionsOpen,
    long BackendConnectionsIdle,
    TrafficMetrics Traffic,
    long BuffersPeak = 0,
    long IncompleteHeads = 0,
    long HeadBytesStashed = 0,
    long HeadsEvicted = 0,
    long HeadsRefusedPerIp = 0);

/// <summary>
/// What query_metrics answers: one worker's counters, or their sum over every worker that
/// answered (<see cref="ProxyMetrics.Workers"/> says how many).
/// </summary>
public sealed record MetricsContent(
    ProxyMetrics Proxy,
    ValueList<ListenerMetrics> Listeners,
    ValueList<ClusterMetrics> Clusters) : AnswerContent;
