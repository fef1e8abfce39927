using System.Buffers.Binary;

namespace Sozu.Net.Http2.Frames;

/// <summary>
/// Reads frames from the start of a span of received bytes, in place, with every check of
/// RFC 9113 sections 4 to 6 that needs no stream state: frame size against the advertised
/// SETTINGS_MAX_FRAME_SIZE, stream identifier rules per type, padding, fixed payload lengths,
/// SETTINGS values and ACK, WINDOW_UPDATE increments, and the sequence of CONTINUATION frames
/// (the only state it keeps: which stream's field block is open, and how many frames it took).
/// Stream states, flow-control windows and limits per connection belong to the session.
/// One reader per connection; it never allocates.
/// </summary>
public sealed class FrameReader
{
    private int _maxFrameSize = Http2Limits.DefaultMaxFrameSize;

    public FrameReader(Http2Role role, bool pushEnabled = false)
    {
        Role = role;
        PushEnabled = pushEnabled;
    }

    public Http2Role Role { get; }

    /// <summary>For a client: whether it advertised SETTINGS_ENABLE_PUSH = 1 (a server never accepts a push).</summary>
    public bool PushEnabled { get; set; }

    /// <summary>
    /// The SETTINGS_MAX_FRAME_SIZE this endpoint advertised: a longer frame is a connection
    /// FRAME_SIZE_ERROR, found from its header alone, so no one makes the reader wait for 16 MiB.
    /// </summary>
    public int MaxFrameSize
    {
        get => _maxFrameSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, Http2Limits.DefaultMaxFrameSize);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, Http2Limits.MaxMaxFrameSize);
            _maxFrameSize = value;
        }
    }

    /// <summary>The stream whose field block is open (a HEADERS or PUSH_PROMISE without END_HEADERS), or 0.</summary>
    public int OpenFieldBlockStreamId { get; private set; }

    /// <summary>CONTINUATION frames received so far in the open field block (the session caps them: CVE-2024-27316).</summary>
    public int ContinuationCount { get; private set; }

    /// <summary>
    /// Parses the frame at the start of <paramref name="input"/>. On <see cref="FrameReadStatus.Frame"/>
    /// and <see cref="FrameReadStatus.StreamError"/>, <paramref name="frame"/> is filled and
    /// <see cref="Http2Frame.TotalLength"/> bytes are to be consumed; on
    /// <see cref="FrameReadStatus.StreamError"/> and <see cref="FrameReadStatus.ConnectionError"/>,
    /// <paramref name="error"/> says what to send.
    /// </summary>
    public FrameReadStatus Read(ReadOnlySpan<byte> input, out Http2Frame frame, out Http2Error error)
    {
        frame = default;
        error = default;
        if (input.Length < FrameHeader.Size)
        {
            return FrameReadStatus.NeedMore;
        }
        var header = FrameHeader.Read(input);
        if (header.Length > _maxFrameSize)
        {
            return ConnectionError(Http2ErrorCode.FrameSizeError, FrameViolation.ExceedsMaxFrameSize, out error);
        }
        if (OpenFieldBlockStreamId != 0 && (header.Type != FrameType.Continuation || header.StreamId != OpenFieldBlockStreamId))
        {
            return ConnectionError(Http2ErrorCode.ProtocolError, FrameViolation.ContinuationExpected, out error);
        }
        if (input.Length < FrameHeader.Size + header.Length)
        {
            return FrameReadStatus.NeedMore;
        }
        var payload = input.Slice(FrameHeader.Size, header.Length);
        frame.Header = header;
        frame.Payload = payload;
        frame.Content = payload;
        return header.Type switch
        {
            FrameType.Data => ReadData(ref frame, out error),
            FrameType.Headers => ReadHeaders(ref frame, out error),
            FrameType.Priority => ReadPriority(ref frame, out error),
            FrameType.RstStream => ReadRstStream(ref frame, out error),
            FrameType.Settings => ReadSettings(ref frame, out error),
            FrameType.PushPromise => ReadPushPromise(ref frame, out error),
            FrameType.Ping => ReadPing(ref frame, out error),
            FrameType.GoAway => ReadGoAway(ref frame, out error),
            FrameType.WindowUpdate => ReadWindowUpdate(ref frame, out error),
            FrameType.Continuation => ReadContinuation(ref frame, out error),
            _ => FrameReadStatus.Frame,
        };
    }

    /// <summary>Forgets an open field block (when the session ends the connection and a new one reuses the reader).</summary>
    public void Reset()
    {
        OpenFieldBlockStreamId = 0;
        ContinuationCount = 0;
        _maxFrameSize = Http2Limits.DefaultMaxFrameSize;
    }

    private static FrameReadStatus ReadData(ref Http2Frame frame, out Http2Error error)
    {
        if (frame.StreamId == 0)
        {
            return ConnectionError(Http2ErrorCode.ProtocolError, FrameViolation.StreamIdRequired, out error);
        }
        return StripPadding(ref frame, fixedLength: 0, out error);
    }

    private FrameReadStatus ReadHeaders(ref Http2Frame frame, out Http2Error error)
    {
        if (frame.StreamId == 0)
        {
            return ConnectionError(Http2ErrorCode.ProtocolError, FrameViolation.StreamIdRequired, out error);
        }
        if (Role == Http2Role.Server && (frame.StreamId & 1) == 0)
        {
            return ConnectionError(Http2ErrorCode.ProtocolError, FrameViolation.StreamIdParity, out error);
        }
        var hasPriority = frame.Header.HasFlag(FrameFlags.Priority);
        var status = StripPadding(ref frame, hasPriority ? PriorityFields.Size : 0, out error);
        if (status != FrameReadStatus.Frame)
        {
            return status;
        }
        OpenFieldBlock(frame.Header);
        if (hasPriority)
        {
            var priority = ReadPriorityFields(frame.Content);
            frame.HasPriority = true;
            frame.Priority = priority;
            frame.Content = frame.Content[PriorityFields.Size..];
            if (priority.StreamDependency == frame.StreamId)
            {
                // The field block still goes to the decoder: the connection's HPACK state depends on it.
                error = Http2Error.Stream(Http2ErrorCode.ProtocolError, FrameViolation.StreamDependsOnItself, frame.StreamId);
                return FrameReadStatus.StreamError;
            }
        }
        return FrameReadStatus.Frame;
    }

    private static FrameReadStatus ReadPriority(ref Http2Frame frame, out Http2Error error)
    {
        if (frame.StreamId == 0)
        {
            return ConnectionError(Http2ErrorCode.ProtocolError, FrameViolation.StreamIdRequired, out error);
        }
        if (frame.Header.Length != PriorityFields.Size)
        {
            error = Http2Error.Stream(Http2ErrorCode.FrameSizeError, FrameViolation.WrongPayloadLength, frame.StreamId);
            return FrameReadStatus.StreamError;
        }
        frame.HasPriority = true;
        frame.Priority = ReadPriorityFields(frame.Payload);
        frame.Content = default;
        if (frame.Priority.StreamDependency == frame.StreamId)
        {
            error = Http2Error.Stream(Http2ErrorCode.ProtocolError, FrameViolation.StreamDependsOnItself, frame.StreamId);
            return FrameReadStatus.StreamError;
        }
        error = default;
        return FrameReadStatus.Frame;
    }

    private static FrameReadStatus ReadRstStream(ref Http2Frame frame, out Http2Error error)
    {
        if (frame.StreamId == 0)
        {
            return ConnectionError(Http2ErrorCode.ProtocolError, FrameViolation.StreamIdRequired, out error);
        }
        if (frame.Header.Length != 4)
        {
            return ConnectionError(Http2ErrorCode.FrameSizeError, FrameViolation.WrongPayloadLength, out error);
        }
        frame.ErrorCode = (Http2ErrorCode)BinaryPrimitives.ReadUInt32BigEndian(frame.Payload);
        frame.Content = default;
        error = default;
        return FrameReadStatus.Frame;
    }

    private FrameReadStatus ReadSettings(ref Http2Frame frame, out Http2Error error)
    {
        if (frame.StreamId != 0)
        {
            return ConnectionError(Http2ErrorCode.ProtocolError, FrameViolation.StreamIdForbidden, out error);
        }
        if (frame.Header.HasFlag(FrameFlags.Ack))
        {
            return frame.Header.Length == 0
                ? Ok(out error)
                : ConnectionError(Http2ErrorCode.FrameSizeError, FrameViolation.SettingsAckWithPayload, out error);
        }
        if (frame.Header.Length % Setting.Size != 0)
        {
            return ConnectionError(Http2ErrorCode.FrameSizeError, FrameViolation.WrongPayloadLength, out error);
        }
        foreach (var setting in new SettingsEnumerator(frame.Payload))
        {
            switch (setting.Id)
            {
                case SettingId.EnablePush when setting.Value > 1 || (setting.Value == 1 && Role == Http2Role.Client):
                case SettingId.EnableConnectProtocol when setting.Value > 1:
                case SettingId.MaxFrameSize when setting.Value is < Http2Limits.DefaultMaxFrameSize or > Http2Limits.MaxMaxFrameSize:
                    return ConnectionError(Http2ErrorCode.ProtocolError, FrameViolation.InvalidSettingValue, out error);
                case SettingId.InitialWindowSize when setting.Value > Http2Limits.MaxWindowSize:
                    return ConnectionError(Http2ErrorCode.FlowControlError, FrameViolation.InitialWindowSizeTooLarge, out error);
            }
        }
        return Ok(out error);
    }

    private FrameReadStatus ReadPushPromise(ref Http2Frame frame, out Http2Error error)
    {
        if (Role == Http2Role.Server || !PushEnabled)
        {
            return ConnectionError(Http2ErrorCode.ProtocolError, FrameViolation.PushPromiseNotAllowed, out error);
        }
        if (frame.StreamId == 0)
        {
            return ConnectionError(Http2ErrorCode.ProtocolError, FrameViolation.StreamIdRequired, out error);
        }
        var status = StripPadding(ref frame, fixedLength: 4, out error);
        if (status != FrameReadStatus.Frame)
        {
            return status;
        }
        var promised = (int)(BinaryPrimitives.ReadUInt32BigEndian(frame.Content) & 0x7FFFFFFFu);
        if (promised == 0 || (promised & 1) != 0)
        {
            return ConnectionError(Http2ErrorCode.ProtocolError, FrameViolation.StreamIdParity, out error);
        }
        frame.PromisedStreamId = promised;
        frame.Content = frame.Content[4..];
        OpenFieldBlock(frame.Header);
        return FrameReadStatus.Frame;
    }

    private static FrameReadStatus ReadPing(ref Http2Frame frame, out Http2Error error)
    {
        if (frame.StreamId != 0)
        {
            return ConnectionError(Http2ErrorCode.ProtocolError, FrameViolation.StreamIdForbidden, out error);
        }
        if (frame.Header.Length != 8)
        {
            return ConnectionError(Http2ErrorCode.FrameSizeError, FrameViolation.WrongPayloadLength, out error);
        }
        return Ok(out error);
    }

    private static FrameReadStatus ReadGoAway(ref Http2Frame frame, out Http2Error error)
    {
        if (frame.StreamId != 0)
        {
            return ConnectionError(Http2ErrorCode.ProtocolError, FrameViolation.StreamIdForbidden, out error);
        }
        if (frame.Header.Length < 8)
        {
            return ConnectionError(Http2ErrorCode.FrameSizeError, FrameViolation.PayloadTooShort, out error);
        }
        frame.LastStreamId = (int)(BinaryPrimitives.ReadUInt32BigEndian(frame.Payload) & 0x7FFFFFFFu);
        frame.ErrorCode = (Http2ErrorCode)BinaryPrimitives.ReadUInt32BigEndian(frame.Payload[4..]);
        frame.Content = frame.Payload[8..];
        return Ok(out error);
    }

    private static FrameReadStatus ReadWindowUpdate(ref Http2Frame frame, out Http2Error error)
    {
        if (frame.Header.Length != 4)
        {
            return ConnectionError(Http2ErrorCode.FrameSizeError, FrameViolation.WrongPayloadLength, out error);
        }
        frame.WindowIncrement = (int)(BinaryPrimitives.ReadUInt32BigEndian(frame.Payload) & 0x7FFFFFFFu);
        frame.Content = default;
        if (frame.WindowIncrement == 0)
        {
            if (frame.StreamId == 0)
            {
                return ConnectionError(Http2ErrorCode.ProtocolError, FrameViolation.ZeroWindowIncrement, out error);
            }
            error = Http2Error.Stream(Http2ErrorCode.ProtocolError, FrameViolation.ZeroWindowIncrement, frame.StreamId);
            return FrameReadStatus.StreamError;
        }
        return Ok(out error);
    }

    private FrameReadStatus ReadContinuation(ref Http2Frame frame, out Http2Error error)
    {
        // A CONTINUATION on another stream than the open block's was refused before the payload arrived.
        if (frame.StreamId == 0)
        {
            return ConnectionError(Http2ErrorCode.ProtocolError, FrameViolation.StreamIdRequired, out error);
        }
        if (OpenFieldBlockStreamId == 0)
        {
            return ConnectionError(Http2ErrorCode.ProtocolError, FrameViolation.UnexpectedContinuation, out error);
        }
        ContinuationCount++;
        if (frame.Header.HasFlag(FrameFlags.EndHeaders))
        {
            OpenFieldBlockStreamId = 0;
        }
        return Ok(out error);
    }

    private void OpenFieldBlock(FrameHeader header)
    {
        ContinuationCount = 0;
        OpenFieldBlockStreamId = header.HasFlag(FrameFlags.EndHeaders) ? 0 : header.StreamId;
    }

    /// <summary>
    /// Takes the pad length and padding off a PADDED frame; <paramref name="fixedLength"/> is what
    /// must follow the pad length before the variable part (priority fields, a promised id).
    /// </summary>
    private static FrameReadStatus StripPadding(ref Http2Frame frame, int fixedLength, out Http2Error error)
    {
        var payload = frame.Payload;
        if (!frame.Header.HasFlag(FrameFlags.Padded))
        {
            if (payload.Length < fixedLength)
            {
                return ConnectionError(Http2ErrorCode.FrameSizeError, FrameViolation.PayloadTooShort, out error);
            }
            return Ok(out error);
        }
        if (payload.Length < 1 + fixedLength)
        {
            return ConnectionError(Http2ErrorCode.FrameSizeError, FrameViolation.PayloadTooShort, out error);
        }
        var padLength = payload[0];
        var rest = payload.Length - 1 - fixedLength;
        if (padLength > rest)
        {
            // RFC 9113 6.1: a pad length of the payload's length or more is a PROTOCOL_ERROR.
            return ConnectionError(Http2ErrorCode.ProtocolError, FrameViolation.PaddingExceedsPayload, out error);
        }
        frame.PadLength = padLength;
        frame.Content = payload[1..^padLength];
        return Ok(out error);
    }

    private static PriorityFields ReadPriorityFields(ReadOnlySpan<byte> source)
    {
        var word = BinaryPrimitives.ReadUInt32BigEndian(source);
        return new PriorityFields((int)(word & 0x7FFFFFFFu), (word & 0x80000000u) != 0, source[4]);
    }

    private static FrameReadStatus Ok(out Http2Error error)
    {
        error = default;
        return FrameReadStatus.Frame;
    }

    private static FrameReadStatus ConnectionError(Http2ErrorCode code, FrameViolation violation, out Http2Error error)
    {
        error = Http2Error.Connection(code, violation);
        return FrameReadStatus.ConnectionError;
    }
}
