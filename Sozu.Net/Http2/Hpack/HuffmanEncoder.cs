namespace Sozu.Net.Http2.Hpack;

/// <summary>Encodes strings with the code of <see cref="HuffmanCode"/>, padded with the high bits of EOS (ones).</summary>
public static class HuffmanEncoder
{
    /// <summary>The encoded length in bytes (rounded up), to decide whether Huffman is shorter.</summary>
    public static int EncodedLength(ReadOnlySpan<byte> source)
    {
        long bits = 0;
        foreach (var b in source)
        {
            bits += HuffmanCode.LengthOf(b);
        }
        return (int)((bits + 7) >> 3);
    }

    /// <summary>Encodes into <paramref name="destination"/>, which holds at least <see cref="EncodedLength"/> bytes; returns the bytes written.</summary>
    public static int Encode(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        ulong pending = 0;
        var pendingBits = 0;
        var written = 0;
        foreach (var b in source)
        {
            // At most 7 bits wait from before, plus a 30-bit code: 37 bits fit in the 64.
            pending = (pending << HuffmanCode.LengthOf(b)) | HuffmanCode.CodeOf(b);
            pendingBits += HuffmanCode.LengthOf(b);
            while (pendingBits >= 8)
            {
                pendingBits -= 8;
                destination[written++] = (byte)(pending >> pendingBits);
            }
        }
        if (pendingBits > 0)
        {
            destination[written++] = (byte)((pending << (8 - pendingBits)) | (0xFFu >> pendingBits));
        }
        return written;
    }
}
