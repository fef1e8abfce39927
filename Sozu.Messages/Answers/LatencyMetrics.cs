namespace Sozu.Messages.Answers;

/// <summary>
/// The time histograms of a cluster or a backend. <paramref name="ConnectTime"/>: a new backend
/// connection, from connect() to writable (HTTP and TCP). <paramref name="ResponseTime"/>: a
/// request head received → the backend's response head received (time to first byte, retries
/// included). <paramref name="RequestTime"/>: the same start → the response's last byte handed
/// to the client socket. Times are those of the worker loop's wake-ups.
/// </summary>
public sealed record LatencyMetrics(TimeHistogram ConnectTime, TimeHistogram ResponseTime, TimeHistogram RequestTime)
{
    public static readonly LatencyMetrics Zero = new(TimeHistogram.Empty, TimeHistogram.Empty, TimeHistogram.Empty);

    public LatencyMetrics Plus(LatencyMetrics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(ConnectTime.Plus(other.ConnectTime), ResponseTime.Plus(other.ResponseTime), RequestTime.Plus(other.RequestTime));
    }
}
