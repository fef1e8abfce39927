namespace Sozu.Messages.Answers;

/// <summary>
/// TLS counters of an HTTPS listener. <paramref name="HandshakeFailures"/> sums the failure
/// reasons: <paramref name="PeerAlerts"/> (the client sent a fatal alert),
/// <paramref name="BadClientHellos"/> (input that is not a well-formed handshake: plain HTTP,
/// noise, a malformed ClientHello), <paramref name="NoSharedCipherOrVersion"/>,
/// <paramref name="UnknownServerNames"/> (no certificate matched the SNI name and the listener
/// had none by default) and <paramref name="PeerClosed"/> (closed or reset mid-handshake);
/// timeouts are counted apart. <paramref name="Tls12Handshakes"/> and
/// <paramref name="Tls13Handshakes"/> split <paramref name="Handshakes"/> by negotiated version.
/// <paramref name="Certificates"/> is a level, the same in every worker: merged by maximum.
/// </summary>
public sealed record TlsMetrics(
    long Handshakes,
    long HandshakeFailures,
    long HandshakeTimeouts,
    long UnknownServerNames,
    long Certificates,
    long Tls12Handshakes,
    long Tls13Handshakes,
    long PeerAlerts,
    long BadClientHellos,
    long NoSharedCipherOrVersion,
    long PeerClosed)
{
    public TlsMetrics Plus(TlsMetrics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(
            Handshakes + other.Handshakes,
            HandshakeFailures + other.HandshakeFailures,
            HandshakeTimeouts + other.HandshakeTimeouts,
            UnknownServerNames + other.UnknownServerNames,
            Math.Max(Certificates, other.Certificates),
            Tls12Handshakes + other.Tls12Handshakes,
            Tls13Handshakes + other.Tls13Handshakes,
            PeerAlerts + other.PeerAlerts,
            BadClientHellos + other.BadClientHellos,
            NoSharedCipherOrVersion + other.NoSharedCipherOrVersion,
            PeerClosed + other.PeerClosed);
    }
}
