namespace Sozu.Net.Http2.Hpack;

/// <summary>
/// Encodes fields into HPACK (RFC 7541) for one direction of one connection: a whole match in
/// the static or dynamic table becomes an index, otherwise a literal that reuses an indexed name
/// when one matches; each string is Huffman-coded unless that is longer (a tie goes to Huffman,
/// as in RFC 7541's own examples; <see cref="UseHuffman"/> turns it off). The dynamic table is
/// optional (<c>maxTableSize</c> 0 turns it off) and bounded by the smaller of its own limit and
/// the peer's SETTINGS_HEADER_TABLE_SIZE.
/// <para>
/// A block is <see cref="TryBeginBlock"/> then <see cref="TryEncode"/> per field. When the
/// destination is too short, a call writes nothing and changes nothing, so the caller can go on
/// in a fresh buffer (a CONTINUATION frame); a field once written must be sent, because the
/// decoder's table will see it.
/// </para>
/// </summary>
public sealed class HpackEncoder
{
    private readonly HpackDynamicTable _table;
    private int _pendingSmallest = -1;

    /// <param name="maxTableSize">The most table this encoder will use, whatever the peer allows; 0 for none.</param>
    /// <param name="peerMaxTableSize">The table size the peer's decoder starts with (4096 unless its settings are known).</param>
    public HpackEncoder(int maxTableSize = 4_096, int peerMaxTableSize = Http2.Frames.Http2Limits.DefaultHeaderTableSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTableSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxTableSize, HpackDecoder.HardMaxTableSize);
        ArgumentOutOfRangeException.ThrowIfNegative(peerMaxTableSize);
        _table = new HpackDynamicTable(maxTableSize);
        _table.SetCapacity(Math.Min(maxTableSize, peerMaxTableSize));
        if (maxTableSize < peerMaxTableSize)
        {
            // The peer's decoder would let the table grow further: it hears of the smaller size first.
            _pendingSmallest = maxTableSize;
        }
    }

    /// <summary>Whether strings may be Huffman-coded (on by default).</summary>
    public bool UseHuffman { get; set; } = true;

    public int TableSize => _table.Size;

    public int TableCapacity => _table.Capacity;

    public int TableCount => _table.Count;

    /// <summary>
    /// The peer's SETTINGS_HEADER_TABLE_SIZE changed: the table follows it (up to this encoder's
    /// own limit), and the next block starts with the size update(s) the decoder must see.
    /// </summary>
    public void SetPeerMaxTableSize(int peerLimit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(peerLimit);
        var capacity = Math.Min(_table.MaxCapacity, peerLimit);
        if (capacity == _table.Capacity && _pendingSmallest < 0)
        {
            return;
        }
        _pendingSmallest = _pendingSmallest < 0 ? capacity : Math.Min(_pendingSmallest, capacity);
        _table.SetCapacity(capacity);
    }

    /// <summary>Starts a field block: writes the pending size updates (RFC 7541 4.2: the smallest, then the final).</summary>
    public bool TryBeginBlock(Span<byte> destination, out int written)
    {
        written = 0;
        if (_pendingSmallest < 0)
        {
            return true;
        }
        var smallest = HpackInteger.Encode(destination, _pendingSmallest, 5, 0x20);
        if (smallest == 0)
        {
            return false;
        }
        written = smallest;
        if (_table.Capacity != _pendingSmallest)
        {
            var final = HpackInteger.Encode(destination[smallest..], _table.Capacity, 5, 0x20);
            if (final == 0)
            {
                written = 0;
                return false;
            }
            written += final;
        }
        _pendingSmallest = -1;
        return true;
    }

    /// <summary>
    /// Encodes one field (a lower-case name, as HTTP/2 requires). Returns false, with nothing
    /// written and the table unchanged, when <paramref name="destination"/> is too short.
    /// </summary>
    public bool TryEncode(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, HpackIndexing indexing, Span<byte> destination, out int written)
    {
        written = 0;
        var index = HpackStaticTable.Find(name, value, out var nameIndex);
        if (index == 0 && _table.Count > 0)
        {
            var dynamicIndex = _table.Find(name, value, out var dynamicNameIndex);
            if (dynamicIndex != 0)
            {
                index = HpackStaticTable.Count + dynamicIndex;
            }
            if (nameIndex == 0 && dynamicNameIndex != 0)
            {
                nameIndex = HpackStaticTable.Count + dynamicNameIndex;
            }
        }
        if (index != 0 && indexing != HpackIndexing.NeverIndexed)
        {
            written = HpackInteger.Encode(destination, index, 7, 0x80);
            return written != 0;
        }

        var insert = indexing == HpackIndexing.Incremental && _table.Capacity > 0;
        var (prefixBits, flags) = indexing switch
        {
            HpackIndexing.NeverIndexed => (4, (byte)0x10),
            _ when insert => (6, (byte)0x40),
            _ => (4, (byte)0x00),
        };
        var length = HpackInteger.Encode(destination, nameIndex, prefixBits, flags);
        if (length == 0)
        {
            return false;
        }
        if (nameIndex == 0)
        {
            var nameLength = EncodeString(destination[length..], name);
            if (nameLength == 0)
            {
                return false;
            }
            length += nameLength;
        }
        var valueLength = EncodeString(destination[length..], value);
        if (valueLength == 0)
        {
            return false;
        }
        written = length + valueLength;
        if (insert)
        {
            _table.Add(name, value);
        }
        return true;
    }

    /// <summary>A string literal, Huffman-coded unless that is longer; 0 when it does not fit.</summary>
    private int EncodeString(Span<byte> destination, ReadOnlySpan<byte> text)
    {
        var huffmanLength = UseHuffman && !text.IsEmpty ? HuffmanEncoder.EncodedLength(text) : int.MaxValue;
        var huffman = huffmanLength <= text.Length;
        var payloadLength = huffman ? huffmanLength : text.Length;
        var length = HpackInteger.Encode(destination, payloadLength, 7, huffman ? (byte)0x80 : (byte)0);
        if (length == 0 || destination.Length - length < payloadLength)
        {
            return 0;
        }
        if (huffman)
        {
            HuffmanEncoder.Encode(text, destination[length..]);
        }
        else
        {
            text.CopyTo(destination[length..]);
        }
        return length + payloadLength;
    }
}
