namespace Sozu.Net.Tls;

/// <summary>
/// TLS events of one HTTPS listener, counted on the loop thread.
/// <see cref="HandshakeFailures"/> is the sum of the failure reasons (<see cref="PeerAlerts"/>,
/// <see cref="BadClientHellos"/>, <see cref="NoSharedCipherOrVersion"/>,
/// <see cref="UnknownServerNames"/>, <see cref="PeerClosed"/>) plus the rare connection OpenSSL
/// could not even allocate; timeouts are counted apart. <see cref="UnknownServerNames"/> counts
/// handshakes refused with an alert because no certificate matched the SNI name and the
/// listener had no default. <see cref="Tls12Handshakes"/> + <see cref="Tls13Handshakes"/> =
/// <see cref="Handshakes"/>.
/// </summary>
public sealed record TlsCounters(
    long Handshakes,
    long HandshakeFailures,
    long HandshakeTimeouts,
    long UnknownServerNames,
    int Certificates,
    long Tls12Handshakes,
    long Tls13Handshakes,
    long PeerAlerts,
    long BadClientHellos,
    long NoSharedCipherOrVersion,
    long PeerClosed);
