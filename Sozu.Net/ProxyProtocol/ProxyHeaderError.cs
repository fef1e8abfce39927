namespace Sozu.Net.ProxyProtocol;

/// <summary>Why a header was refused; <see cref="None"/> unless the status is <see cref="ProxyParseStatus.Invalid"/>.</summary>
public enum ProxyHeaderError : byte
{
    None,

    /// <summary>Neither "PROXY " (v1) nor the 12-byte v2 signature.</summary>
    BadSignature,

    /// <summary>v1: no CRLF within 107 bytes. Also a v2 header longer than the receiver accepts.</summary>
    TooLong,

    /// <summary>v1: not TCP4, TCP6 or UNKNOWN, a field missing or extra, a space too many, a bare LF.</summary>
    BadV1Line,

    /// <summary>An address that is not a valid IPv4 / IPv6 address, or of the other family than announced.</summary>
    BadAddress,

    /// <summary>A port that is not a decimal 0–65535 (v1).</summary>
    BadPort,

    /// <summary>v2: the version nibble is not 2.</summary>
    BadVersion,

    /// <summary>v2: a command other than LOCAL (0) or PROXY (1).</summary>
    BadCommand,

    /// <summary>v2: an unknown address family or transport, or a datagram transport on this stream.</summary>
    BadFamily,

    /// <summary>v2: the length is shorter than the address block its family needs.</summary>
    BadLength,

    /// <summary>v2: a TLV whose length runs past the end of the header.</summary>
    BadTlv,
}
