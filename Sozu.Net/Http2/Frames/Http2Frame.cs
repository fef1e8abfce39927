using System.Buffers.Binary;

namespace Sozu.Net.Http2.Frames;

/// <summary>
/// One frame, parsed in place: every span points into the reader's input, so the frame is valid
/// until that buffer is reused. Which fields mean something depends on the type:
/// <list type="bullet">
/// <item>DATA: <see cref="Content"/> is the data, padding removed; <see cref="PadLength"/>.</item>
/// <item>HEADERS: <see cref="Content"/> is the field block fragment; <see cref="Priority"/> if <see cref="HasPriority"/>.</item>
/// <item>PRIORITY: <see cref="Priority"/>. RST_STREAM: <see cref="ErrorCode"/>.</item>
/// <item>SETTINGS: <see cref="Settings"/> (empty for an ACK). PING: <see cref="OpaqueData"/>.</item>
/// <item>PUSH_PROMISE: <see cref="PromisedStreamId"/> and the fragment in <see cref="Content"/>.</item>
/// <item>GOAWAY: <see cref="LastStreamId"/>, <see cref="ErrorCode"/>, debug data in <see cref="Content"/>.</item>
/// <item>WINDOW_UPDATE: <see cref="WindowIncrement"/>. CONTINUATION: the fragment in <see cref="Content"/>.</item>
/// <item>Any other type: <see cref="Content"/> is the payload, to be ignored.</item>
/// </list>
/// </summary>
public ref struct Http2Frame
{
    public FrameHeader Header { get; internal set; }

    /// <summary>The whole payload, as received (padding and fixed fields included).</summary>
    public ReadOnlySpan<byte> Payload { get; internal set; }

    /// <summary>The type's variable part: data, field block fragment, settings, opaque or debug data.</summary>
    public ReadOnlySpan<byte> Content { get; internal set; }

    /// <summary>The pad length of a PADDED frame (0 when not padded).</summary>
    public int PadLength { get; internal set; }

    public bool HasPriority { get; internal set; }

    public PriorityFields Priority { get; internal set; }

    public Http2ErrorCode ErrorCode { get; internal set; }

    public int LastStreamId { get; internal set; }

    public int PromisedStreamId { get; internal set; }

    public int WindowIncrement { get; internal set; }

    /// <summary>The bytes the frame takes in the input: its header and payload.</summary>
    public readonly int TotalLength => FrameHeader.Size + Header.Length;

    public readonly FrameType Type => Header.Type;

    public readonly int StreamId => Header.StreamId;

    public readonly bool IsEndStream => Header.HasFlag(FrameFlags.EndStream) && Type is FrameType.Data or FrameType.Headers;

    public readonly bool IsEndHeaders => Header.HasFlag(FrameFlags.EndHeaders) && Type is FrameType.Headers or FrameType.PushPromise or FrameType.Continuation;

    public readonly bool IsAck => Header.HasFlag(FrameFlags.Ack) && Type is FrameType.Settings or FrameType.Ping;

    /// <summary>The 8 bytes of a PING, as one number (the peer's bytes go back unchanged in the ACK).</summary>
    public readonly ulong OpaqueData => Content.Length == 8 ? BinaryPrimitives.ReadUInt64BigEndian(Content) : 0;

    public readonly SettingsEnumerator Settings => new(Type == FrameType.Settings ? Content : default);
}
