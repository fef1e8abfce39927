using Sozu.Net.Loop;
using Sozu.Net.Tests.Support;
using Sozu.Net.Timers;
using Xunit;

namespace Sozu.Net.Tests.Timers;

/// <summary>
/// A long gap between two Advance calls (the loop slept, the machine stalled, a test clock
/// jumped) costs work bounded by the nodes that fire or move down a level, not by the gap.
/// The work is counted by the wheel (slots emptied, nodes visited), not timed.
/// </summary>
public class TimerWheelLongGapTests
{
    private const long Day = 86_400_000;

    private sealed class Counter : ITimerTarget
    {
        public int Fired;

        public long LastAt;

        public void OnTimeout(TimerNode node, long nowMs)
        {
            Fired++;
            LastAt = nowMs;
        }
    }

    [Fact]
    public void JumpingThirtyDays_EmptiesOnlyTheOccupiedSlots()
    {
        var wheel = new TimerWheel(0);
        var counter = new Counter();
        wheel.Schedule(new TimerNode(counter), 1_000);
        wheel.Schedule(new TimerNode(counter), 3 * Day);
        wheel.Schedule(new TimerNode(counter), 20 * Day);

        Assert.Equal(3, wheel.Advance(30 * Day));

        // Each node is visited once in its own slot and at most once per level it drops through.
        Assert.InRange(wheel.NodesVisited, 3, 3 * 6);
        Assert.InRange(wheel.SlotsEmptied, 3, 3 * 6);
    }

    [Fact]
    public void JumpingPastEmptySlots_WithManyNodesFurtherAhead_VisitsNone()
    {
        var wheel = new TimerWheel(0);
        var counter = new Counter();
        for (var i = 0; i < 10_000; i++)
        {
            wheel.Schedule(new TimerNode(counter), (2 * Day) + (i * 1_000L));
        }

        Assert.Equal(0, wheel.Advance(Day));

        Assert.Equal(0, wheel.NodesVisited);
        Assert.Equal(0, wheel.SlotsEmptied);
        Assert.Equal(10_000, wheel.Count);
    }

    [Fact]
    public void ANodeTenDaysAhead_AdvancedEverySecond_IsVisitedAtMostOncePerLevel()
    {
        var wheel = new TimerWheel(0);
        var counter = new Counter();
        wheel.Schedule(new TimerNode(counter), 10 * Day);

        for (var now = 0L; now <= (10 * Day) + 1_000; now += 1_000)
        {
            wheel.Advance(now);
        }

        Assert.Equal(1, counter.Fired);
        Assert.InRange(counter.LastAt, 10 * Day, (10 * Day) + 1_000);
        Assert.InRange(wheel.NodesVisited, 1, 6);
    }

    [Fact]
    public void ABusySessionPushingItsDeadlineLater_CostsNoListOperationsUntilItsSlotComesDue()
    {
        var wheel = new TimerWheel(0);
        var counter = new Counter();
        var node = new TimerNode(counter);
        wheel.Schedule(node, 60_000);

        // Activity every 10 ms for 50 s: each push only stores the later deadline.
        for (var now = 10L; now <= 50_000; now += 10)
        {
            wheel.Schedule(node, now + 60_000);
            wheel.Advance(now);
        }

        Assert.Equal(0, wheel.NodesVisited);
        Assert.Equal(0, counter.Fired);
        wheel.Advance(110_000 + TimerWheel.TickMs);
        Assert.Equal(1, counter.Fired);
    }

    [Fact]
    public void EventLoop_OnAnInjectedClock_FiresATimerDaysAheadWhenTheClockGetsThere()
    {
        var clock = new ManualClock(5_000);
        using var loop = new EventLoop(clock);
        var counter = new Counter();
        var node = new TimerNode(counter);
        Assert.Equal(5_000, loop.NowMs);
        loop.Timers.Schedule(node, loop.NowMs + (3 * Day));

        loop.RunOnce(0);
        clock.AdvanceMs((3 * Day) - 1);
        loop.RunOnce(0);
        Assert.Equal(0, counter.Fired);

        clock.AdvanceMs(1 + TimerWheel.TickMs);
        // No socket event: the loop waits only as long as the wheel asks, here not at all.
        loop.RunOnce(10_000);
        Assert.Equal(1, counter.Fired);
        Assert.Equal(5_000 + (3 * Day) + TimerWheel.TickMs, counter.LastAt);
        Assert.Equal(0, loop.Timers.Count);
    }
}
