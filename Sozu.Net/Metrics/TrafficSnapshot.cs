namespace Sozu.Net.Metrics;

/// <summary>A copy of <see cref="TrafficCounters"/> at one instant, safe to hand to another thread.</summary>
public sealed record TrafficSnapshot(
    long ConnectionsAccepted,
    long ConnectionsRefused,
    long ActiveConnections,
    long Requests,
    long BytesIn,
    long BytesOut,
    long Status1xx,
    long Status2xx,
    long Status3xx,
    long Status4xx,
    long Status5xx,
    long ConnectErrors,
    long Timeouts,
    long OverIpLimit,
    long MalformedResponses);
