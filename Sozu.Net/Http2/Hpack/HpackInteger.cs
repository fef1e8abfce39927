namespace Sozu.Net.Http2.Hpack;

/// <summary>The prefixed integers of RFC 7541 section 5.1, limited to 0..2^31 - 1.</summary>
public static class HpackInteger
{
    /// <summary>The most bytes a value up to 2^31 - 1 takes: the prefix byte and five continuations.</summary>
    public const int MaxLength = 6;

    /// <summary>
    /// Decodes the integer whose first byte is <c>source[0]</c>, using its low
    /// <paramref name="prefixBits"/> bits. Returns <see cref="HpackError.Truncated"/> when the
    /// source ends first and <see cref="HpackError.IntegerOverflow"/> above 2^31 - 1.
    /// </summary>
    public static HpackError Decode(ReadOnlySpan<byte> source, int prefixBits, out int value, out int consumed)
    {
        value = 0;
        consumed = 0;
        if (source.IsEmpty)
        {
            return HpackError.Truncated;
        }
        var max = (1 << prefixBits) - 1;
        var result = source[0] & max;
        if (result < max)
        {
            value = result;
            consumed = 1;
            return HpackError.None;
        }
        long accumulated = result;
        var shift = 0;
        for (var i = 1; i < source.Length; i++)
        {
            var b = source[i];
            accumulated += (long)(b & 0x7F) << shift;
            if (accumulated > int.MaxValue)
            {
                return HpackError.IntegerOverflow;
            }
            if ((b & 0x80) == 0)
            {
                value = (int)accumulated;
                consumed = i + 1;
                return HpackError.None;
            }
            shift += 7;
            if (i + 1 >= MaxLength)
            {
                // Only zero-valued padding bytes could follow: refused, so a stream of 0x80 ends here.
                return HpackError.IntegerOverflow;
            }
        }
        return HpackError.Truncated;
    }

    /// <summary>
    /// Writes <paramref name="value"/> with a <paramref name="prefixBits"/>-bit prefix, the high
    /// bits of the first byte set to <paramref name="firstByteFlags"/>. Returns the bytes written,
    /// or 0 when the destination is too short.
    /// </summary>
    public static int Encode(Span<byte> destination, int value, int prefixBits, byte firstByteFlags)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        if (destination.IsEmpty)
        {
            return 0;
        }
        var max = (1 << prefixBits) - 1;
        if (value < max)
        {
            destination[0] = (byte)(firstByteFlags | value);
            return 1;
        }
        destination[0] = (byte)(firstByteFlags | max);
        value -= max;
        var i = 1;
        while (value >= 0x80)
        {
            if (i >= destination.Length)
            {
                return 0;
            }
            destination[i++] = (byte)((value & 0x7F) | 0x80);
            value >>= 7;
        }
        if (i >= destination.Length)
        {
            return 0;
        }
        destination[i++] = (byte)value;
        return i;
    }
}
