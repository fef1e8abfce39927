using System.Numerics;

namespace Sozu.Net.Timers;

/// <summary>
/// A hierarchical timing wheel: six levels of 64 slots; a slot of level L spans 64^L ticks of
/// 64 ms, so level 0 covers 4 s, level 1 4.4 min, level 2 4.7 h, level 3 12 days, level 4
/// 2.1 years and level 5 139 years (later deadlines wait in the last slot reachable and are
/// filed again from there). A node lives at the level of the highest bit where its deadline tick
/// differs from the wheel's position, so it is always in a slot strictly ahead of the position,
/// and a level's slots all come due before any slot of the level above. When a slot comes due
/// its nodes either fire or drop to a lower level (at most five times over a node's life).
/// <para>
/// Advance jumps straight to the next occupied slot (a 64-bit occupancy mask per level), so a
/// long gap (the loop slept, the machine stalled) costs work bounded by the nodes that fire or
/// move down, never by the length of the gap. A node is never set aside outside the wheel while
/// callbacks run: each is unlinked just before its own callback, so a callback may cancel or
/// re-arm any node, itself included. The old single-level wheel (512 × 64 ms ≈ 32.8 s) set nodes
/// due a turn later aside during a slot's callbacks, and a callback re-arming one linked the slot
/// lists into a cycle: the loop spun in Advance (issue 11).
/// </para>
/// <para>
/// Pushing a deadline later (activity on a session, the common case) only stores the value;
/// the node is filed again when its old slot comes due, so a busy connection costs no list
/// operations.
/// </para>
/// Time is passed in (milliseconds on the caller's clock), so the wheel itself reads no clock.
/// </summary>
public sealed class TimerWheel
{
    public const int TickMs = 1 << TickShift;
    private const int TickShift = 6;
    private const int SlotBits = 6;
    private const int SlotsPerLevel = 1 << SlotBits;
    private const int SlotMask = SlotsPerLevel - 1;
    private const int LevelCount = 6;
    private const int TopLevelShift = SlotBits * (LevelCount - 1);

    private readonly TimerNode?[] _slots = new TimerNode?[SlotsPerLevel * LevelCount];
    private readonly ulong[] _occupied = new ulong[LevelCount];

    /// <summary>The wheel's position: every slot starting at or before this tick has been emptied.</summary>
    private long _elapsed;

    /// <summary>The earliest tick a node may be filed at: one past the position, or past the <c>now</c> of a running Advance.</summary>
    private long _earliestTick;

    public TimerWheel(long nowMs)
    {
        _elapsed = nowMs >> TickShift;
        _earliestTick = _elapsed + 1;
    }

    public int Count { get; private set; }

    /// <summary>Slots emptied since the wheel was made: the work Advance did, for tests.</summary>
    internal long SlotsEmptied { get; private set; }

    /// <summary>Nodes taken out of a due slot (fired or filed lower) since the wheel was made, for tests.</summary>
    internal long NodesVisited { get; private set; }

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
    }

    public void Cancel(TimerNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (!node.IsArmed)
        {
            return;
        }
        Unlink(node);
        node.Deadline = long.MaxValue;
    }

    /// <summary>
    /// Milliseconds until the next occupied slot comes due when anything is armed, else -1 (wait
    /// forever). The loop may wake before a node's deadline (the node was pushed later, or sits
    /// in a higher level): Advance then files it lower and this returns the next wait.
    /// </summary>
    public int MillisecondsToNextExpiry(long nowMs)
    {
        if (Count == 0)
        {
            return -1;
        }
        var next = NextDueSlot(out _);
        // next ≤ 2^36 ticks past the position: the product stays far below long.MaxValue.
        var wait = (next << TickShift) - nowMs;
        return wait <= 0 ? 0 : (int)Math.Min(wait, int.MaxValue);
    }

    /// <summary>Fires every node whose deadline passed; returns how many fired.</summary>
    public int Advance(long nowMs)
    {
        var nowTick = nowMs >> TickShift;
        var fired = 0;
        // A callback that re-arms at or before now fires at the next Advance, not in this one:
        // a node re-armed to "now" from its own callback cannot keep this call going.
        _earliestTick = Math.Max(nowTick, _elapsed) + 1;
        while (Count > 0)
        {
            var start = NextDueSlot(out var index);
            if (start > nowTick)
            {
                break;
            }
            _elapsed = start;
            SlotsEmptied++;
            // Nothing is filed into this slot while it is emptied: every tick filed from here on is
            // past start, and at this level the slots past start's own are ahead of it.
            while (_slots[index] is { } node)
            {
                NodesVisited++;
                var deadline = node.Deadline;
                Unlink(node);
                if (deadline <= nowMs)
                {
                    node.Deadline = long.MaxValue;
                    fired++;
                    node.Target.OnTimeout(node, nowMs);
                }
                else
                {
                    File(node, deadline);
                }
            }
        }
        if (nowTick > _elapsed)
        {
            _elapsed = nowTick;
        }
        _earliestTick = _elapsed + 1;
        return fired;
    }

    /// <summary>
    /// The start tick of the next slot to come due: the first occupied slot past the position on
    /// the lowest occupied level (all of a level's slots come due before any slot of the level above).
    /// </summary>
    private long NextDueSlot(out int index)
    {
        for (var level = 0; level < LevelCount; level++)
        {
            var occupied = _occupied[level];
            if (occupied == 0)
            {
                continue;
            }
            var shift = SlotBits * level;
            var current = (int)(_elapsed >> shift) & SlotMask;
            // Slots ahead of the position, counted from it; only the top level wraps round, and the
            // position's own slot is never occupied (a node there would be due already).
            var distance = BitOperations.TrailingZeroCount(BitOperations.RotateRight(occupied, current));
            index = (level * SlotsPerLevel) + ((current + distance) & SlotMask);
            return ((_elapsed >> shift) + distance) << shift;
        }
        index = -1;
        return long.MaxValue;
    }

    private void File(TimerNode node, long deadlineMs)
    {
        // Rounded up: the slot comes due at or after the deadline, so nothing fires early.
        var tick = (deadlineMs >> TickShift) + ((deadlineMs & (TickMs - 1)) != 0 ? 1 : 0);
        if (tick < _earliestTick)
        {
            tick = _earliestTick;
        }
        // The farthest tick the top level can tell apart from the position's own slot: beyond it a
        // node waits in the last top slot and is filed again when that slot comes due.
        var farthest = (((_elapsed >> TopLevelShift) + SlotsPerLevel) << TopLevelShift) - 1;
        if (tick > farthest)
        {
            tick = farthest;
        }
        var differing = (ulong)(tick ^ _elapsed) | SlotMask;
        var level = Math.Min((63 - BitOperations.LeadingZeroCount(differing)) / SlotBits, LevelCount - 1);
        var slot = (int)(tick >> (SlotBits * level)) & SlotMask;
        var index = (level * SlotsPerLevel) + slot;
        node.Slot = index;
        node.FiledAt = deadlineMs;
        node.Deadline = deadlineMs;
        node.Previous = null;
        node.Next = _slots[index];
        if (node.Next is not null)
        {
            node.Next.Previous = node;
        }
        _slots[index] = node;
        _occupied[level] |= 1UL << slot;
        Count++;
    }

    private void Unlink(TimerNode node)
    {
        var index = node.Slot;
        if (node.Previous is null)
        {
            _slots[index] = node.Next;
            if (node.Next is null)
            {
                _occupied[index / SlotsPerLevel] &= ~(1UL << (index & SlotMask));
            }
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
        Count--;
    }
}
