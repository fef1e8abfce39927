namespace Sozu.Net.Http2.Hpack;

/// <summary>
/// Decodes HPACK field blocks (RFC 7541) for one direction of one connection, whole blocks at a
/// time (HEADERS plus its CONTINUATIONs, joined by the session). Fields go to a visitor as spans:
/// a literal without Huffman is a slice of the block, a table entry a slice of the table, a
/// Huffman string is decoded into one scratch buffer the decoder owns. Nothing is allocated
/// after construction.
/// <para>
/// Bounds: the dynamic table never exceeds <see cref="MaxTableSizeLimit"/> (this endpoint's
/// SETTINGS_HEADER_TABLE_SIZE, itself at most <see cref="HardMaxTableSize"/>); the decoded list
/// never exceeds <see cref="MaxHeaderListSize"/> (RFC 9113's accounting: name + value + 32 per
/// field). Past that limit the block is still decoded to keep the table in step, the visitor
/// hears no more fields, and the result is <see cref="HpackError.HeaderListTooLarge"/>.
/// </para>
/// </summary>
public sealed class HpackDecoder
{
    /// <summary>The largest table any setting can ask for: 64 KiB (4 KiB is the default; HAProxy and nginx keep 4 KiB).</summary>
    public const int HardMaxTableSize = 65_536;

    private readonly HpackDynamicTable _table;
    private readonly byte[] _scratch;
    private bool _sizeUpdateRequired;

    /// <param name="maxTableSize">The SETTINGS_HEADER_TABLE_SIZE this endpoint advertises (default 4096).</param>
    /// <param name="maxHeaderListSize">The largest decoded list accepted (the SETTINGS_MAX_HEADER_LIST_SIZE advertised, or the listener's limit).</param>
    /// <param name="scratch">
    /// Where Huffman strings are decoded, at least <see cref="ScratchLength"/> bytes; null to
    /// allocate one. Decoding is synchronous and its spans live only during the visitor's call,
    /// so every decoder of one loop thread can share one scratch buffer instead of holding its own.
    /// </param>
    public HpackDecoder(int maxTableSize = 4_096, int maxHeaderListSize = 16_384, byte[]? scratch = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTableSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxTableSize, HardMaxTableSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxHeaderListSize, 1);
        var scratchLength = ScratchLength(maxTableSize, maxHeaderListSize);
        if (scratch is not null && scratch.Length < scratchLength)
        {
            throw new ArgumentException($"the scratch buffer holds {scratch.Length} bytes, {scratchLength} needed", nameof(scratch));
        }
        _table = new HpackDynamicTable(maxTableSize);
        MaxTableSizeLimit = maxTableSize;
        MaxHeaderListSize = maxHeaderListSize;
        _scratch = scratch ?? new byte[scratchLength];
    }

    /// <summary>
    /// The scratch a decoder with these limits needs: a string longer than this is either over the
    /// list limit or too large for the table, so its bytes are never needed (see DecodeLiteral).
    /// </summary>
    public static int ScratchLength(int maxTableSize, int maxHeaderListSize) => Math.Max(maxTableSize, maxHeaderListSize);

    /// <summary>The limit a size update may not exceed: the SETTINGS_HEADER_TABLE_SIZE in force.</summary>
    public int MaxTableSizeLimit { get; private set; }

    public int MaxHeaderListSize { get; }

    /// <summary>The table's size in RFC 7541's terms, its current maximum, and its entry count.</summary>
    public int TableSize => _table.Size;

    public int TableCapacity => _table.Capacity;

    public int TableCount => _table.Count;

    /// <summary>Dynamic entry <paramref name="index"/>, 1 (newest) to <see cref="TableCount"/>: for tests and diagnostics.</summary>
    public void GetTableEntry(int index, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value) => _table.Get(index, out name, out value);

    /// <summary>
    /// A new SETTINGS_HEADER_TABLE_SIZE, acknowledged by the peer: a size update above it is refused
    /// from now on; if it is below the table's current maximum, the next block must start with a
    /// size update (RFC 7541 4.2). It cannot exceed the value given at construction.
    /// </summary>
    public void SetMaxTableSizeLimit(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, _table.MaxCapacity);
        MaxTableSizeLimit = limit;
        if (limit < _table.Capacity)
        {
            _sizeUpdateRequired = true;
        }
    }

    /// <summary>
    /// Decodes one complete field block, calling <paramref name="visitor"/> once per field in
    /// order. Any error but <see cref="HpackError.HeaderListTooLarge"/> leaves the table unusable:
    /// the connection ends with COMPRESSION_ERROR.
    /// </summary>
    public HpackError Decode<TVisitor>(ReadOnlySpan<byte> block, ref TVisitor visitor)
        where TVisitor : IHpackHeaderVisitor
    {
        var position = 0;
        var fieldSeen = false;
        long listSize = 0;
        var tooLarge = false;
        if (_sizeUpdateRequired && (block.IsEmpty || (block[0] & 0xE0) != 0x20))
        {
            return HpackError.TableSizeUpdateMissing;
        }
        while (position < block.Length)
        {
            var first = block[position];
            HpackError error;
            ReadOnlySpan<byte> name;
            ReadOnlySpan<byte> value;
            var neverIndexed = false;
            int consumed;
            if ((first & 0x80) != 0)
            {
                // 6.1 Indexed Header Field.
                error = HpackInteger.Decode(block[position..], 7, out var index, out consumed);
                if (error != HpackError.None)
                {
                    return error;
                }
                position += consumed;
                if (!TryGet(index, out name, out value))
                {
                    return HpackError.IndexOutOfRange;
                }
            }
            else if ((first & 0xE0) == 0x20)
            {
                // 6.3 Dynamic Table Size Update: only before the first field (RFC 9113 4.3.1).
                if (fieldSeen)
                {
                    return HpackError.TableSizeUpdateNotAtStart;
                }
                error = HpackInteger.Decode(block[position..], 5, out var size, out consumed);
                if (error != HpackError.None)
                {
                    return error;
                }
                if (size > MaxTableSizeLimit)
                {
                    return HpackError.TableSizeUpdateTooLarge;
                }
                position += consumed;
                _table.SetCapacity(size);
                _sizeUpdateRequired = false;
                continue;
            }
            else
            {
                // 6.2 Literal Header Field: with incremental indexing (01), never indexed (0001), without (0000).
                var incremental = (first & 0xC0) == 0x40;
                neverIndexed = (first & 0xF0) == 0x10;
                error = DecodeLiteral(block, ref position, incremental ? 6 : 4, incremental, out name, out value, out var fits);
                if (error != HpackError.None)
                {
                    return error;
                }
                tooLarge |= !fits;
            }
            fieldSeen = true;
            listSize += name.Length + value.Length + HpackDynamicTable.EntryOverhead;
            if (listSize > MaxHeaderListSize)
            {
                tooLarge = true;
            }
            if (!tooLarge)
            {
                visitor.OnHeader(name, value, neverIndexed);
            }
        }
        return tooLarge ? HpackError.HeaderListTooLarge : HpackError.None;
    }

    /// <summary>
    /// A literal field (6.2): its name (an index or a string), its value, and for incremental
    /// indexing its insertion. <paramref name="fits"/> is false when a string was too long for
    /// the scratch buffer: the list is then over its limit, and the entry over the table's
    /// capacity, so only its length mattered (the table is emptied, as 4.4 says).
    /// </summary>
    private HpackError DecodeLiteral(
        ReadOnlySpan<byte> block, scoped ref int position, int prefixBits, bool incremental,
        out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value, out bool fits)
    {
        name = default;
        value = default;
        fits = true;
        var error = HpackInteger.Decode(block[position..], prefixBits, out var nameIndex, out var consumed);
        if (error != HpackError.None)
        {
            return error;
        }
        position += consumed;
        var scratchUsed = 0;
        int nameLength;
        if (nameIndex == 0)
        {
            error = DecodeString(block, ref position, ref scratchUsed, out name, out nameLength);
            if (error != HpackError.None)
            {
                return error;
            }
        }
        else
        {
            if (!TryGet(nameIndex, out name, out _))
            {
                return HpackError.IndexOutOfRange;
            }
            if (incremental && nameIndex > HpackStaticTable.Count)
            {
                // The insertion may evict or move this very entry: the name is copied out first.
                name.CopyTo(_scratch);
                name = _scratch.AsSpan(0, name.Length);
                scratchUsed = name.Length;
            }
            nameLength = name.Length;
        }
        error = DecodeString(block, ref position, ref scratchUsed, out value, out var valueLength);
        if (error != HpackError.None)
        {
            return error;
        }
        fits = name.Length == nameLength && value.Length == valueLength;
        if (incremental)
        {
            if (fits)
            {
                _table.Add(name, value);
            }
            else
            {
                _table.AddTooLarge();
            }
        }
        return HpackError.None;
    }

    /// <summary>
    /// A string literal (5.2). A plain one is a slice of the block; a Huffman one is decoded into
    /// the scratch buffer after <paramref name="scratchUsed"/>. <paramref name="length"/> is the
    /// decoded length, longer than <paramref name="text"/> when the scratch buffer ran out.
    /// </summary>
    private HpackError DecodeString(ReadOnlySpan<byte> block, scoped ref int position, scoped ref int scratchUsed, out ReadOnlySpan<byte> text, out int length)
    {
        text = default;
        length = 0;
        if (position >= block.Length)
        {
            return HpackError.Truncated;
        }
        var huffman = (block[position] & 0x80) != 0;
        var error = HpackInteger.Decode(block[position..], 7, out var encodedLength, out var consumed);
        if (error != HpackError.None)
        {
            return error;
        }
        position += consumed;
        if (encodedLength > block.Length - position)
        {
            return HpackError.Truncated;
        }
        var encoded = block.Slice(position, encodedLength);
        position += encodedLength;
        if (!huffman)
        {
            text = encoded;
            length = encodedLength;
            return HpackError.None;
        }
        var destination = _scratch.AsSpan(scratchUsed);
        error = HuffmanDecoder.Decode(encoded, destination, out length);
        if (error != HpackError.None)
        {
            return error;
        }
        var kept = Math.Min(length, destination.Length);
        text = destination[..kept];
        scratchUsed += kept;
        return HpackError.None;
    }

    private bool TryGet(int index, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        if (index >= 1 && index <= HpackStaticTable.Count)
        {
            HpackStaticTable.Get(index, out name, out value);
            return true;
        }
        var dynamicIndex = index - HpackStaticTable.Count;
        if (index > HpackStaticTable.Count && dynamicIndex <= _table.Count)
        {
            _table.Get(dynamicIndex, out name, out value);
            return true;
        }
        name = default;
        value = default;
        return false;
    }
}
