namespace Sozu.Net.Http2.Frames;

/// <summary>Which rule of RFC 9113 a received frame broke: the reason behind an <see cref="Http2Error"/>.</summary>
public enum FrameViolation : byte
{
    None,

    /// <summary>Longer than the SETTINGS_MAX_FRAME_SIZE this endpoint advertised (4.2).</summary>
    ExceedsMaxFrameSize,

    /// <summary>DATA, HEADERS, PRIORITY, RST_STREAM, PUSH_PROMISE or CONTINUATION on stream 0.</summary>
    StreamIdRequired,

    /// <summary>SETTINGS, PING or GOAWAY on a stream other than 0.</summary>
    StreamIdForbidden,

    /// <summary>A client-initiated stream with an even identifier, or a promised stream with an odd one (5.1.1).</summary>
    StreamIdParity,

    /// <summary>The pad length is not smaller than what remains of the payload (6.1, 6.2, 6.6).</summary>
    PaddingExceedsPayload,

    /// <summary>The payload is too short for the fields the type and flags require.</summary>
    PayloadTooShort,

    /// <summary>PRIORITY not 5 bytes, RST_STREAM or WINDOW_UPDATE not 4, PING not 8, SETTINGS not a multiple of 6.</summary>
    WrongPayloadLength,

    /// <summary>A SETTINGS acknowledgement with a payload (6.5).</summary>
    SettingsAckWithPayload,

    /// <summary>SETTINGS_ENABLE_PUSH or SETTINGS_ENABLE_CONNECT_PROTOCOL other than 0 or 1, push enabled by a server, or SETTINGS_MAX_FRAME_SIZE outside 2^14..2^24-1 (6.5.2).</summary>
    InvalidSettingValue,

    /// <summary>SETTINGS_INITIAL_WINDOW_SIZE above 2^31-1 (6.5.2, a FLOW_CONTROL_ERROR).</summary>
    InitialWindowSizeTooLarge,

    /// <summary>A stream made to depend on itself (5.3.1).</summary>
    StreamDependsOnItself,

    /// <summary>WINDOW_UPDATE with an increment of 0 (6.9).</summary>
    ZeroWindowIncrement,

    /// <summary>A field block is open, and this frame is not its CONTINUATION on the same stream (6.10).</summary>
    ContinuationExpected,

    /// <summary>CONTINUATION with no field block open (6.10).</summary>
    UnexpectedContinuation,

    /// <summary>PUSH_PROMISE received by a server, or by a client that disabled push (6.6, 8.4).</summary>
    PushPromiseNotAllowed,
}
