namespace Sozu.Net.Timers;

/// <summary>
/// A hashed timing wheel: 512 slots of 64 ms cover 32 s per turn; later deadlines stay in
/// their slot until their turn. Pushing a deadline later (the common case: activity on a
/// session) only stores the new value, the node is re-filed when its old slot comes up, so
/// a busy connection costs no list operations.
/// </summary>
public sealed class TimerWheel
{
    public const int TickMs = 64;
    private const int SlotCount = 512;
    private const int Mask = SlotCount - 1;

    private readonly TimerNode?[] _slots = new TimerNode?[SlotCount];
    private long _nextTick;

    public TimerWheel(long nowMs) => _nextTick = (nowMs / TickMs) + 1;

    public int Count { get; private set; }

    /// <summary>Arms or moves the node.</summary>
    public void Schedule(TimerNode node, long deadlineMs)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.IsArmed && deadlineMs >= node.FiledAt)
        {
            node.Deadline = deadlineMs;
            return;
        }
        Cancel(node);
        File(node, deadlineMs);
        node.Deadline = deadlineMs;
    }

    public void Cancel(TimerNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (!node.IsArmed)
        {
            return;
        }
        if (node.Previous is null)
        {
            _slots[node.Slot] = node.Next;
        }
        else
        {
            node.Previous.Next = node.Next;
        }
        if (node.Next is not null)
        {
            node.Next.Previous = node.Previous;
        }
        node.Previous = node.Next = null;
        node.Slot = -1;
        node.Deadline = long.MaxValue;
        Count--;
    }

    /// <summary>Milliseconds until the next tick when anything is armed, else -1 (wait forever).</summary>
    public int MillisecondsToNextTick(long nowMs)
    {
        if (Count == 0)
        {
            return -1;
        }
        var next = (_nextTick * TickMs) - nowMs;
        return next <= 0 ? 0 : (int)Math.Min(next, int.MaxValue);
    }

    /// <summary>Fires every node whose deadline passed; returns how many fired.</summary>
    public int Advance(long nowMs)
    {
        var target = nowMs / TickMs;
        if (Count == 0)
        {
            _nextTick = target + 1;
            return 0;
        }
        // After a long stall, one turn of the wheel visits every slot once.
        if (target - _nextTick >= SlotCount)
        {
            _nextTick = target - SlotCount + 1;
        }
        var fired = 0;
        while (_nextTick <= target)
        {
            var slot = (int)(_nextTick & Mask);
            // Moved past this slot first: whatever a callback files now lands in a later one.
            _nextTick++;
            TimerNode? later = null;
            while (_slots[slot] is { } node)
            {
                var deadline = node.Deadline;
                var filedAt = node.FiledAt;
                Cancel(node);
                if (deadline <= nowMs)
                {
                    fired++;
                    node.Target.OnTimeout(node, nowMs);
                }
                else if (filedAt <= nowMs)
                {
                    File(node, deadline);
                    node.Deadline = deadline;
                }
                else
                {
                    // Due in a later turn of the wheel: set aside, filed back below.
                    node.Deadline = deadline;
                    node.Next = later;
                    later = node;
                }
            }
            while (later is not null)
            {
                var node = later;
                later = node.Next;
                var deadline = node.Deadline;
                File(node, deadline);
                node.Deadline = deadline;
            }
        }
        return fired;
    }

    private void File(TimerNode node, long deadlineMs)
    {
        // Never into a slot already visited: at the earliest the next one.
        var tick = Math.Max(deadlineMs / TickMs, _nextTick);
        var slot = (int)(tick & Mask);
        node.Slot = slot;
        node.FiledAt = deadlineMs;
        node.Previous = null;
        node.Next = _slots[slot];
        if (node.Next is not null)
        {
            node.Next.Previous = node;
        }
        _slots[slot] = node;
        Count++;
    }
}
