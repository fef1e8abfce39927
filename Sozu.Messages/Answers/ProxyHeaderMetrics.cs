namespace Sozu.Messages.Answers;

/// <summary>
/// PROXY protocol counters of a listener that expects the header (expect_proxy).
/// <paramref name="Headers"/>: valid headers received; <paramref name="Failures"/>: connections
/// closed because they did not start with a valid header (none, malformed, too long, or the
/// client left before its end); <paramref name="Timeouts"/>: no complete header in time.
/// </summary>
public sealed record ProxyHeaderMetrics(long Headers, long Failures, long Timeouts)
{
    public ProxyHeaderMetrics Plus(ProxyHeaderMetrics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(Headers + other.Headers, Failures + other.Failures, Timeouts + other.Timeouts);
    }
}
