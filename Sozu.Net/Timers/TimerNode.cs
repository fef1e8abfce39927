namespace Sozu.Net.Timers;

/// <summary>
/// One timeout, embedded in its owner and reused for its owner's whole life: arming,
/// moving and cancelling relink it in the wheel without allocating.
/// </summary>
public sealed class TimerNode(ITimerTarget target)
{
    internal TimerNode? Previous;
    internal TimerNode? Next;
    internal int Slot = -1;

    /// <summary>Where the node sits in the wheel; a later <see cref="Deadline"/> is re-filed when that slot comes round.</summary>
    internal long FiledAt;

    public ITimerTarget Target { get; } = target;

    /// <summary>Milliseconds on the loop clock; <see cref="long.MaxValue"/> when disarmed.</summary>
    public long Deadline { get; internal set; } = long.MaxValue;

    /// <summary>What the owner was waiting for when it armed the node (its own enum, as an int).</summary>
    public int Kind { get; set; }

    public bool IsArmed => Slot >= 0;
}
