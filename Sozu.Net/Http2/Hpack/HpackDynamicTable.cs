namespace Sozu.Net.Http2.Hpack;

/// <summary>
/// The dynamic table of RFC 7541 section 2.3.2, one per direction of a connection, bounded by
/// <see cref="MaxCapacity"/> fixed at construction (the hard cap; size updates move
/// <see cref="Capacity"/> below it). The names and values live in one byte array of twice the
/// cap: entries are appended at its end and evicted from its start, and when the end is reached
/// the live bytes (at most the capacity) are moved back to the start, so each byte is moved at
/// most once per capacity's worth of inserts and nothing is allocated after construction.
/// Entry 1 is the newest.
/// </summary>
public sealed class HpackDynamicTable
{
    /// <summary>What RFC 7541 4.1 counts per entry on top of its name and value.</summary>
    public const int EntryOverhead = 32;

    private readonly byte[] _bytes;
    private readonly Entry[] _entries;
    private int _oldest;
    private int _end;

    public HpackDynamicTable(int maxCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxCapacity);
        MaxCapacity = maxCapacity;
        Capacity = maxCapacity;
        _bytes = new byte[2 * maxCapacity];
        _entries = new Entry[(maxCapacity / EntryOverhead) + 1];
    }

    public int MaxCapacity { get; }

    /// <summary>The maximum size in force (the last size update, or the initial one).</summary>
    public int Capacity { get; private set; }

    /// <summary>The size in RFC 7541's terms: the sum of name + value + 32 over the entries.</summary>
    public int Size { get; private set; }

    public int Count { get; private set; }

    /// <summary>Entry <paramref name="index"/>, 1 (newest) to <see cref="Count"/>.</summary>
    public void Get(int index, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(index, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, Count);
        var entry = _entries[Slot(Count - index)];
        name = _bytes.AsSpan(entry.Offset, entry.NameLength);
        value = _bytes.AsSpan(entry.Offset + entry.NameLength, entry.ValueLength);
    }

    /// <summary>
    /// The index of the newest entry with this name and value (or 0), and in
    /// <paramref name="nameIndex"/> the newest with this name (or 0).
    /// </summary>
    public int Find(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, out int nameIndex)
    {
        nameIndex = 0;
        for (var index = 1; index <= Count; index++)
        {
            var entry = _entries[Slot(Count - index)];
            if (entry.NameLength != name.Length || !name.SequenceEqual(_bytes.AsSpan(entry.Offset, entry.NameLength)))
            {
                continue;
            }
            if (nameIndex == 0)
            {
                nameIndex = index;
            }
            if (value.SequenceEqual(_bytes.AsSpan(entry.Offset + entry.NameLength, entry.ValueLength)))
            {
                return index;
            }
        }
        return 0;
    }

    /// <summary>A size update: evicts the oldest entries until the table fits.</summary>
    public void SetCapacity(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, MaxCapacity);
        Capacity = capacity;
        EvictUntil(capacity);
    }

    /// <summary>
    /// Inserts an entry, evicting the oldest ones to make room; an entry larger than the capacity
    /// empties the table and is not kept (RFC 7541 4.4). Neither span may point into this table.
    /// </summary>
    public void Add(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        var size = (long)name.Length + value.Length + EntryOverhead;
        if (size > Capacity)
        {
            EvictUntil(0);
            return;
        }
        EvictUntil(Capacity - (int)size);
        var length = name.Length + value.Length;
        if (_end + length > _bytes.Length)
        {
            Compact();
        }
        name.CopyTo(_bytes.AsSpan(_end));
        value.CopyTo(_bytes.AsSpan(_end + name.Length));
        _entries[Slot(Count)] = new Entry(_end, name.Length, value.Length);
        _end += length;
        Count++;
        Size += (int)size;
    }

    /// <summary>The entry that a field of this name and value would make does not fit: empties the table (RFC 7541 4.4).</summary>
    public void AddTooLarge() => EvictUntil(0);

    private void EvictUntil(int size)
    {
        while (Size > size)
        {
            var entry = _entries[_oldest];
            Size -= entry.NameLength + entry.ValueLength + EntryOverhead;
            _oldest = (_oldest + 1) % _entries.Length;
            Count--;
        }
        if (Count == 0)
        {
            _oldest = 0;
            _end = 0;
        }
    }

    /// <summary>Moves the live bytes (oldest entry first, contiguous) to the start of the array.</summary>
    private void Compact()
    {
        var start = _entries[_oldest].Offset;
        _bytes.AsSpan(start, _end - start).CopyTo(_bytes);
        for (var i = 0; i < Count; i++)
        {
            ref var entry = ref _entries[Slot(i)];
            entry = entry with { Offset = entry.Offset - start };
        }
        _end -= start;
    }

    /// <summary>The array slot of the <paramref name="age"/>-th entry, 0 being the oldest.</summary>
    private int Slot(int age) => (_oldest + age) % _entries.Length;

    private readonly record struct Entry(int Offset, int NameLength, int ValueLength);
}
