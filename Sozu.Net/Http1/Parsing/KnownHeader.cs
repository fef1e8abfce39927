namespace Sozu.Net.Http1.Parsing;

/// <summary>
/// Headers the proxy interprets or edits, classified once while parsing so the head writers
/// never compare names again.
/// </summary>
public enum KnownHeader : byte
{
    Other,
    Host,
    ContentLength,
    TransferEncoding,
    Connection,
    KeepAlive,
    ProxyConnection,
    TE,
    Trailer,
    Upgrade,
    Expect,
    Cookie,
    XForwardedFor,
    XForwardedProto,
    XForwardedPort,
    Forwarded,
    SozuId,
    StrictTransportSecurity,

    /// <summary>Only meaningful with "Upgrade: h2c", which is never forwarded: always dropped.</summary>
    Http2Settings,
}
