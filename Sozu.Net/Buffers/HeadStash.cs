namespace Sozu.Net.Buffers;

/// <summary>
/// Where a connection keeps the bytes of a request head it has not finished sending, so that
/// it holds about what it sent instead of a pool buffer (16 KiB with the default buffer_size)
/// for as long as it trickles: a slowloris connection sends a few hundred bytes in its first
/// 10 s. Arrays of three sizes (512 B, 2 KiB, 8 KiB), reused LIFO per size; a partial head
/// longer than <see cref="MaxLength"/> keeps its pool buffer. Arrays are allocated only when
/// more heads wait at once than ever before, and at most <c>Retain</c> of each size are kept
/// when they come back (the rest go to the GC), so an attack's peak does not stay resident.
/// A complete head read in one go never touches it. Loop thread only.
/// </summary>
internal sealed class HeadStash
{
    /// <summary>The longest partial head kept here.</summary>
    public const int MaxLength = 8192;

    private const int Small = 512;
    private const int Medium = 2048;

    private readonly Stack<byte[]> _small = new();
    private readonly Stack<byte[]> _medium = new();
    private readonly Stack<byte[]> _large = new();

    /// <summary>Bytes of the arrays leased now (what waiting heads hold, rounded up to a size).</summary>
    public long BytesHeld { get; private set; }

    /// <summary>An array of at least <paramref name="length"/> bytes (at most <see cref="MaxLength"/>).</summary>
    public byte[] Rent(int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, MaxLength);
        var free = FreeFor(length, out var size);
        var array = free.Count > 0 ? free.Pop() : GC.AllocateUninitializedArray<byte>(size);
        BytesHeld += array.Length;
        return array;
    }

    public void Return(byte[] array)
    {
        ArgumentNullException.ThrowIfNull(array);
        BytesHeld -= array.Length;
        var free = FreeFor(array.Length, out _);
        if (free.Count < Retain(array.Length))
        {
            free.Push(array);
        }
    }

    private Stack<byte[]> FreeFor(int length, out int size)
    {
        if (length <= Small)
        {
            size = Small;
            return _small;
        }
        if (length <= Medium)
        {
            size = Medium;
            return _medium;
        }
        size = MaxLength;
        return _large;
    }

    /// <summary>At most 1 MiB of free arrays per size.</summary>
    private static int Retain(int size) => (1 << 20) / size;
}
