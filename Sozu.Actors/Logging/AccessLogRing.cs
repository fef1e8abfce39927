using Sozu.Net.Metrics;
using Sozu.Net.Sockets;

namespace Sozu.Actors.Logging;

/// <summary>
/// A single-producer, single-consumer ring between a worker's loop thread (which writes the
/// entries) and the access log's writer thread (which reads them). Fixed memory, taken at
/// construction: entry slots plus one byte ring for the method, host and path. The producer
/// never waits, never locks and never allocates: an entry that does not fit is refused.
/// Positions only grow; a slot or byte range belongs to the producer until it publishes the
/// new tail, then to the consumer until it publishes the new head.
/// </summary>
internal sealed class AccessLogRing
{
    private readonly Slot[] _slots;
    private readonly byte[] _text;
    private long _tail;      // next slot to fill; written by the producer only
    private long _head;      // next slot to read; written by the consumer only
    private long _textTail;  // producer's position in the byte ring
    private long _textHead;  // consumer's position in the byte ring

    public AccessLogRing(int capacity, int textBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(textBytes, 1);
        _slots = new Slot[capacity];
        _text = new byte[textBytes];
    }

    public bool IsEmpty => Volatile.Read(ref _head) == Volatile.Read(ref _tail);

    /// <summary>Producer: copies the entry in; false when the ring is full.</summary>
    public bool TryWrite(in AccessLogEntry entry, long endUtcTicks)
    {
        var tail = _tail;
        if (tail - Volatile.Read(ref _head) >= _slots.Length)
        {
            return false;
        }
        var length = entry.Method.Length + entry.Host.Length + entry.Path.Length;
        if (!TryReserveText(length, out var textStart))
        {
            return false;
        }
        var offset = (int)(textStart % _text.Length);
        var text = _text.AsSpan(offset, length);
        entry.Method.CopyTo(text);
        entry.Host.CopyTo(text[entry.Method.Length..]);
        entry.Path.CopyTo(text[(entry.Method.Length + entry.Host.Length)..]);
        ref var slot = ref _slots[tail % _slots.Length];
        slot = new Slot(
            entry.Protocol, entry.Client, entry.Backend, entry.ClusterId, entry.BackendId, entry.ListenerAddress, entry.Status,
            textStart, entry.Method.Length, entry.Host.Length, entry.Path.Length, entry.EndMs - entry.StartMs,
            entry.BytesIn, entry.BytesOut, endUtcTicks);
        _textTail = textStart + length;
        // Publishes the slot and its bytes to the consumer.
        Volatile.Write(ref _tail, tail + 1);
        return true;
    }

    /// <summary>
    /// Consumer: takes the oldest entry, its text copied into <paramref name="scratch"/> (grown
    /// when too small), and frees its room at once, so the producer can reuse it while the
    /// consumer formats.
    /// </summary>
    public bool TryRead(out Slot slot, ref byte[] scratch)
    {
        var head = _head;
        if (head == Volatile.Read(ref _tail))
        {
            slot = default;
            return false;
        }
        slot = _slots[head % _slots.Length];
        var length = slot.MethodLength + slot.HostLength + slot.PathLength;
        if (scratch.Length < length)
        {
            scratch = new byte[Math.Max(length, scratch.Length * 2)];
        }
        _text.AsSpan((int)(slot.TextStart % _text.Length), length).CopyTo(scratch);
        _slots[head % _slots.Length] = default; // drop the string references
        Volatile.Write(ref _textHead, slot.TextStart + length);
        Volatile.Write(ref _head, head + 1);
        return true;
    }

    /// <summary>Contiguous room for <paramref name="length"/> bytes, skipping the ring's end when they would wrap.</summary>
    private bool TryReserveText(int length, out long start)
    {
        start = _textTail;
        if (length == 0)
        {
            return true;
        }
        if (length > _text.Length)
        {
            return false;
        }
        var offset = start % _text.Length;
        if (offset + length > _text.Length)
        {
            start += _text.Length - offset;
        }
        return start + length - Volatile.Read(ref _textHead) <= _text.Length;
    }

    internal readonly record struct Slot(
        AccessLogProtocol Protocol,
        NativeAddress Client,
        NativeAddress Backend,
        string? ClusterId,
        string? BackendId,
        string Listener,
        int Status,
        long TextStart,
        int MethodLength,
        int HostLength,
        int PathLength,
        long DurationMs,
        long BytesIn,
        long BytesOut,
        long EndUtcTicks);
}
