namespace Sozu.Messages.Answers;

/// <summary>
/// TLS counters of an HTTPS listener. <paramref name="UnknownServerNames"/>: handshakes refused
/// because no certificate matched the SNI name and the listener had none by default.
/// <paramref name="Certificates"/> is a level, the same in every worker: merged by maximum.
/// </summary>
public sealed record TlsMetrics(long Handshakes, long HandshakeFailures, long HandshakeTimeouts, long UnknownServerNames, long Certificates)
{
    public TlsMetrics Plus(TlsMetrics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(
            Handshakes + other.Handshakes,
            HandshakeFailures + other.HandshakeFailures,
            HandshakeTimeouts + other.HandshakeTimeouts,
            UnknownServerNames + other.UnknownServerNames,
            Math.Max(Certificates, other.Certificates));
    }
}
