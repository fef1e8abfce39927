namespace Sozu.Net.Buffers;

/// <summary>
/// A fixed-size native buffer leased from a <see cref="BufferPool"/>. Bytes in flight are
/// [Start, End); reading appends at End, sending consumes from Start.
/// </summary>
public sealed unsafe class PooledBuffer
{
    internal PooledBuffer(byte* data, int capacity)
    {
        Capacity = capacity;
        Data = data;
    }

    public byte* Data { get; }

    public int Capacity { get; }

    public int Start { get; set; }

    public int End { get; set; }

    public int Length => End - Start;

    public bool IsEmpty => Start == End;

    /// <summary>Room after End.</summary>
    public int FreeSpace => Capacity - End;

    internal bool Leased { get; set; }

    /// <summary>Its pages were given back to the kernel while it sat unused.</summary>
    internal bool Trimmed { get; set; }

    public Span<byte> Readable => new(Data + Start, End - Start);

    public Span<byte> Writable => new(Data + End, Capacity - End);

    public Span<byte> All => new(Data, Capacity);

    public void Consume(int count)
    {
        Start += count;
        if (Start == End)
        {
            Start = End = 0;
        }
    }

    public void Reset() => Start = End = 0;

    /// <summary>Moves the unread bytes to the front so a read has room.</summary>
    public void Compact()
    {
        if (Start == 0)
        {
            return;
        }
        var length = End - Start;
        if (length > 0)
        {
            Buffer.MemoryCopy(Data + Start, Data, Capacity, length);
        }
        Start = 0;
        End = length;
    }
}
