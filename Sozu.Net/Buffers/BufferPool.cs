namespace Sozu.Net.Buffers;

/// <summary>
/// At most <see cref="MaxBuffers"/> native buffers of <see cref="BufferSize"/> bytes, created on
/// first need and kept (LIFO, so the hottest stays in cache). Loop thread only. A session leases
/// one only while bytes are in flight and returns it on every path; <see cref="InUse"/> is the
/// metric that shows a leak.
/// </summary>
public sealed class BufferPool : IDisposable
{
    private readonly Stack<PooledBuffer> _free = new();
    private int _created;

    public BufferPool(int bufferSize, int maxBuffers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 1024);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBuffers, 1);
        BufferSize = bufferSize;
        MaxBuffers = maxBuffers;
    }

    public int BufferSize { get; }

    public int MaxBuffers { get; }

    public int InUse { get; private set; }

    public int Created => _created;

    /// <summary>Leases refused because the pool was empty.</summary>
    public long Exhausted { get; private set; }

    public bool IsExhausted => InUse >= MaxBuffers;

    /// <summary>A clean buffer, or null when all <see cref="MaxBuffers"/> are out.</summary>
    public PooledBuffer? Rent()
    {
        PooledBuffer buffer;
        if (_free.Count > 0)
        {
            buffer = _free.Pop();
        }
        else if (_created < MaxBuffers)
        {
            buffer = new PooledBuffer(BufferSize);
            _created++;
        }
        else
        {
            Exhausted++;
            return null;
        }
        buffer.Leased = true;
        buffer.Reset();
        InUse++;
        return buffer;
    }

    public void Return(PooledBuffer buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (!buffer.Leased)
        {
            throw new InvalidOperationException("buffer returned twice");
        }
        buffer.Leased = false;
        InUse--;
        _free.Push(buffer);
    }

    public void Dispose()
    {
        while (_free.Count > 0)
        {
            _free.Pop().Free();
        }
    }
}
