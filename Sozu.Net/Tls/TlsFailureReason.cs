namespace Sozu.Net.Tls;

/// <summary>Why a handshake ended without a connection; a timeout is counted apart (<see cref="TlsCounters.HandshakeTimeouts"/>).</summary>
internal enum TlsFailureReason : byte
{
    None,

    /// <summary>The client sent a fatal alert (it refused our certificate, our choice, …).</summary>
    PeerAlert,

    /// <summary>Input that is not a well-formed handshake: plain HTTP, noise, a malformed ClientHello or record.</summary>
    BadClientHello,

    /// <summary>A well-formed ClientHello with no cipher, version, group or signature algorithm in common.</summary>
    NoSharedCipherOrVersion,

    /// <summary>No certificate for the SNI name and no default (unrecognized_name alert).</summary>
    UnknownServerName,

    /// <summary>The client closed or reset the connection before the handshake finished.</summary>
    PeerClosed,
}
