using System.Buffers.Binary;

namespace Sozu.Net.Http2.Frames;

/// <summary>
/// The 9-byte header every frame starts with (RFC 9113 section 4.1): a 24-bit payload length,
/// the type, the flags and a 31-bit stream identifier (the reserved bit is ignored on receipt
/// and written as 0).
/// </summary>
public readonly record struct FrameHeader(int Length, FrameType Type, byte Flags, int StreamId)
{
    public const int Size = 9;

    /// <summary>The largest length 24 bits can carry (and the largest SETTINGS_MAX_FRAME_SIZE).</summary>
    public const int MaxLength = 0xFFFFFF;

    public bool HasFlag(byte flag) => (Flags & flag) != 0;

    /// <summary>Reads the first <see cref="Size"/> bytes of <paramref name="source"/>, which must hold them.</summary>
    public static FrameHeader Read(ReadOnlySpan<byte> source)
    {
        var length = (source[0] << 16) | (source[1] << 8) | source[2];
        var streamId = (int)(BinaryPrimitives.ReadUInt32BigEndian(source[5..]) & 0x7FFFFFFFu);
        return new FrameHeader(length, (FrameType)source[3], source[4], streamId);
    }

    /// <summary>Writes the header into the first <see cref="Size"/> bytes of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        destination[0] = (byte)(Length >> 16);
        destination[1] = (byte)(Length >> 8);
        destination[2] = (byte)Length;
        destination[3] = (byte)Type;
        destination[4] = Flags;
        BinaryPrimitives.WriteUInt32BigEndian(destination[5..], (uint)StreamId & 0x7FFFFFFFu);
    }
}
