namespace Sozu.Net.ProxyProtocol;

/// <summary>Why a connection on an <c>expect_proxy</c> listener was closed before its PROXY header was accepted.</summary>
public enum ProxyHeaderRefusalReason : byte
{
    /// <summary>The bytes are not a valid v1 or v2 header; <see cref="ProxyHeaderRefusal.Error"/> says what.</summary>
    Malformed,

    /// <summary>More than the longest header accepted arrived without one ending.</summary>
    TooLong,

    /// <summary>The client half-closed or reset before the header was complete.</summary>
    ClosedEarly,

    /// <summary>The header timeout passed before the header was complete (counted in proxy_header_timeouts).</summary>
    Timeout,

    /// <summary>recv failed.</summary>
    SocketError,
}
