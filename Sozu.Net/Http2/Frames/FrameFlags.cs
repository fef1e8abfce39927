namespace Sozu.Net.Http2.Frames;

/// <summary>The flag bits RFC 9113 defines; a flag a frame type does not define is ignored on receipt.</summary>
public static class FrameFlags
{
    public const byte None = 0x0;

    /// <summary>DATA, HEADERS: the last frame the sender sends on the stream.</summary>
    public const byte EndStream = 0x1;

    /// <summary>SETTINGS, PING: an acknowledgement (same bit as END_STREAM).</summary>
    public const byte Ack = 0x1;

    /// <summary>HEADERS, PUSH_PROMISE, CONTINUATION: the field block ends in this frame.</summary>
    public const byte EndHeaders = 0x4;

    /// <summary>DATA, HEADERS, PUSH_PROMISE: a pad length byte leads the payload, padding ends it.</summary>
    public const byte Padded = 0x8;

    /// <summary>HEADERS: the deprecated priority fields (5 bytes) follow the pad length.</summary>
    public const byte Priority = 0x20;
}
