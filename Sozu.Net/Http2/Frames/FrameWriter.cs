using System.Buffers.Binary;

namespace Sozu.Net.Http2.Frames;

/// <summary>
/// Writes whole frames (header and payload) into a caller's span and returns how many bytes
/// they took. Splitting data or a field block to the peer's SETTINGS_MAX_FRAME_SIZE is the
/// caller's job; an argument no frame can carry (a destination too short, a stream id out of
/// range, a payload over 2^24 - 1 bytes) is a bug of the caller and throws. Padding is written
/// as zeros (RFC 9113 6.1).
/// </summary>
public static class FrameWriter
{
    public static int WriteData(Span<byte> destination, int streamId, ReadOnlySpan<byte> data, bool endStream, byte? padLength = null)
    {
        RequireStream(streamId);
        var flags = endStream ? FrameFlags.EndStream : FrameFlags.None;
        return WritePadded(destination, FrameType.Data, flags, streamId, default, data, padLength);
    }

    public static int WriteHeaders(
        Span<byte> destination, int streamId, ReadOnlySpan<byte> fieldBlockFragment, bool endStream, bool endHeaders,
        PriorityFields? priority = null, byte? padLength = null)
    {
        RequireStream(streamId);
        var flags = (byte)((endStream ? FrameFlags.EndStream : 0) | (endHeaders ? FrameFlags.EndHeaders : 0));
        Span<byte> fixedPart = stackalloc byte[PriorityFields.Size];
        var fixedLength = 0;
        if (priority is { } fields)
        {
            flags |= FrameFlags.Priority;
            WritePriorityFields(fixedPart, fields);
            fixedLength = PriorityFields.Size;
        }
        return WritePadded(destination, FrameType.Headers, flags, streamId, fixedPart[..fixedLength], fieldBlockFragment, padLength);
    }

    public static int WritePriority(Span<byte> destination, int streamId, PriorityFields priority)
    {
        RequireStream(streamId);
        var payload = Begin(destination, PriorityFields.Size, FrameType.Priority, FrameFlags.None, streamId);
        WritePriorityFields(payload, priority);
        return FrameHeader.Size + PriorityFields.Size;
    }

    public static int WriteRstStream(Span<byte> destination, int streamId, Http2ErrorCode code)
    {
        RequireStream(streamId);
        var payload = Begin(destination, 4, FrameType.RstStream, FrameFlags.None, streamId);
        BinaryPrimitives.WriteUInt32BigEndian(payload, (uint)code);
        return FrameHeader.Size + 4;
    }

    public static int WriteSettings(Span<byte> destination, ReadOnlySpan<Setting> settings)
    {
        var length = settings.Length * Setting.Size;
        var payload = Begin(destination, length, FrameType.Settings, FrameFlags.None, 0);
        for (var i = 0; i < settings.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(payload[(i * Setting.Size)..], (ushort)settings[i].Id);
            BinaryPrimitives.WriteUInt32BigEndian(payload[((i * Setting.Size) + 2)..], settings[i].Value);
        }
        return FrameHeader.Size + length;
    }

    public static int WriteSettingsAck(Span<byte> destination)
    {
        Begin(destination, 0, FrameType.Settings, FrameFlags.Ack, 0);
        return FrameHeader.Size;
    }

    public static int WritePushPromise(
        Span<byte> destination, int streamId, int promisedStreamId, ReadOnlySpan<byte> fieldBlockFragment, bool endHeaders, byte? padLength = null)
    {
        RequireStream(streamId);
        RequireStream(promisedStreamId);
        Span<byte> fixedPart = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(fixedPart, (uint)promisedStreamId);
        var flags = endHeaders ? FrameFlags.EndHeaders : FrameFlags.None;
        return WritePadded(destination, FrameType.PushPromise, flags, streamId, fixedPart, fieldBlockFragment, padLength);
    }

    public static int WritePing(Span<byte> destination, ulong opaqueData, bool ack)
    {
        var payload = Begin(destination, 8, FrameType.Ping, ack ? FrameFlags.Ack : FrameFlags.None, 0);
        BinaryPrimitives.WriteUInt64BigEndian(payload, opaqueData);
        return FrameHeader.Size + 8;
    }

    public static int WriteGoAway(Span<byte> destination, int lastStreamId, Http2ErrorCode code, ReadOnlySpan<byte> debugData = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lastStreamId);
        var payload = Begin(destination, 8 + debugData.Length, FrameType.GoAway, FrameFlags.None, 0);
        BinaryPrimitives.WriteUInt32BigEndian(payload, (uint)lastStreamId);
        BinaryPrimitives.WriteUInt32BigEndian(payload[4..], (uint)code);
        debugData.CopyTo(payload[8..]);
        return FrameHeader.Size + 8 + debugData.Length;
    }

    /// <summary>A WINDOW_UPDATE for the connection (stream 0) or a stream; the increment is 1 to 2^31 - 1.</summary>
    public static int WriteWindowUpdate(Span<byte> destination, int streamId, int increment)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(streamId);
        ArgumentOutOfRangeException.ThrowIfLessThan(increment, 1);
        var payload = Begin(destination, 4, FrameType.WindowUpdate, FrameFlags.None, streamId);
        BinaryPrimitives.WriteUInt32BigEndian(payload, (uint)increment);
        return FrameHeader.Size + 4;
    }

    public static int WriteContinuation(Span<byte> destination, int streamId, ReadOnlySpan<byte> fieldBlockFragment, bool endHeaders)
    {
        RequireStream(streamId);
        var payload = Begin(destination, fieldBlockFragment.Length, FrameType.Continuation, endHeaders ? FrameFlags.EndHeaders : FrameFlags.None, streamId);
        fieldBlockFragment.CopyTo(payload);
        return FrameHeader.Size + fieldBlockFragment.Length;
    }

    private static int WritePadded(
        Span<byte> destination, FrameType type, byte flags, int streamId, ReadOnlySpan<byte> fixedPart, ReadOnlySpan<byte> content, byte? padLength)
    {
        var padded = padLength.HasValue;
        var padding = padLength.GetValueOrDefault();
        var length = (padded ? 1 + padding : 0) + fixedPart.Length + content.Length;
        var payload = Begin(destination, length, type, padded ? (byte)(flags | FrameFlags.Padded) : flags, streamId);
        var offset = 0;
        if (padded)
        {
            payload[offset++] = padding;
        }
        fixedPart.CopyTo(payload[offset..]);
        offset += fixedPart.Length;
        content.CopyTo(payload[offset..]);
        offset += content.Length;
        payload.Slice(offset, padding).Clear();
        return FrameHeader.Size + length;
    }

    /// <summary>Writes the frame header and returns the payload's span.</summary>
    private static Span<byte> Begin(Span<byte> destination, int length, FrameType type, byte flags, int streamId)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, FrameHeader.MaxLength);
        if (destination.Length < FrameHeader.Size + length)
        {
            throw new ArgumentException($"a {type} frame of {FrameHeader.Size + length} bytes does not fit in {destination.Length}", nameof(destination));
        }
        new FrameHeader(length, type, flags, streamId).Write(destination);
        return destination.Slice(FrameHeader.Size, length);
    }

    private static void WritePriorityFields(Span<byte> destination, PriorityFields priority)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(priority.StreamDependency);
        var word = (uint)priority.StreamDependency | (priority.Exclusive ? 0x80000000u : 0);
        BinaryPrimitives.WriteUInt32BigEndian(destination, word);
        destination[4] = priority.Weight;
    }

    private static void RequireStream(int streamId) => ArgumentOutOfRangeException.ThrowIfLessThan(streamId, 1);
}
