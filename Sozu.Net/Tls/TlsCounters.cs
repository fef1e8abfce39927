namespace Sozu.Net.Tls;

/// <summary>
/// TLS events of one HTTPS listener, counted on the loop thread.
/// <see cref="UnknownServerNames"/> counts handshakes refused with an alert because no
/// certificate matched the SNI name and the listener had no default.
/// </summary>
public sealed record TlsCounters(
    long Handshakes,
    long HandshakeFailures,
    long HandshakeTimeouts,
    long UnknownServerNames,
    int Certificates);
