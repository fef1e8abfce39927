using Sozu.Net.Timers;
using Xunit;

namespace Sozu.Net.Tests.Timers;

public class TimerWheelTests
{
    private sealed class Recorder : ITimerTarget
    {
        public List<(TimerNode Node, long At)> Fired { get; } = [];

        public Action<TimerNode>? OnFire { get; set; }

        public void OnTimeout(TimerNode node, long nowMs)
        {
            Fired.Add((node, nowMs));
            OnFire?.Invoke(node);
        }
    }

    private static void AdvanceTo(TimerWheel wheel, long from, long to)
    {
        for (var now = from; now <= to; now += 10)
        {
            wheel.Advance(now);
        }
    }

    [Fact]
    public void Advance_FiresOnlyAfterTheDeadline_WithinOneTick()
    {
        var wheel = new TimerWheel(0);
        var recorder = new Recorder();
        var node = new TimerNode(recorder);
        wheel.Schedule(node, 1000);

        AdvanceTo(wheel, 0, 990);
        Assert.Empty(recorder.Fired);
        AdvanceTo(wheel, 1000, 1000 + TimerWheel.TickMs);
        var fired = Assert.Single(recorder.Fired);
        Assert.InRange(fired.At, 1000, 1000 + TimerWheel.TickMs);
        Assert.False(node.IsArmed);
        Assert.Equal(0, wheel.Count);
    }

    [Fact]
    public void Schedule_Later_PostponesWithoutFiringEarly()
    {
        var wheel = new TimerWheel(0);
        var recorder = new Recorder();
        var node = new TimerNode(recorder);
        wheel.Schedule(node, 500);
        wheel.Schedule(node, 2000);

        AdvanceTo(wheel, 0, 1990);
        Assert.Empty(recorder.Fired);
        AdvanceTo(wheel, 2000, 2100);
        Assert.Single(recorder.Fired);
    }

    [Fact]
    public void Schedule_Earlier_MovesTheNode()
    {
        var wheel = new TimerWheel(0);
        var recorder = new Recorder();
        var node = new TimerNode(recorder);
        wheel.Schedule(node, 5000);
        wheel.Schedule(node, 300);

        AdvanceTo(wheel, 0, 400);
        Assert.Single(recorder.Fired);
        Assert.Equal(0, wheel.Count);
    }

    [Fact]
    public void Cancel_PreventsFiring()
    {
        var wheel = new TimerWheel(0);
        var recorder = new Recorder();
        var node = new TimerNode(recorder);
        wheel.Schedule(node, 100);
        wheel.Cancel(node);

        AdvanceTo(wheel, 0, 1000);
        Assert.Empty(recorder.Fired);
        Assert.Equal(-1, wheel.MillisecondsToNextExpiry(1000));
    }

    [Fact]
    public void DeadlinesBeyondOneTurn_FireAtTheirTime()
    {
        var wheel = new TimerWheel(0);
        var recorder = new Recorder();
        var node = new TimerNode(recorder);
        wheel.Schedule(node, 100_000);

        AdvanceTo(wheel, 0, 99_900);
        Assert.Empty(recorder.Fired);
        AdvanceTo(wheel, 100_000, 100_100);
        Assert.Single(recorder.Fired);
    }

    [Fact]
    public void CallbackCancellingTheNextNodeOfItsSlot_DoesNotLoseOthers()
    {
        var wheel = new TimerWheel(0);
        var recorder = new Recorder();
        var nodes = Enumerable.Range(0, 4).Select(_ => new TimerNode(recorder)).ToArray();
        foreach (var node in nodes)
        {
            wheel.Schedule(node, 200);
        }
        recorder.OnFire = fired =>
        {
            // The first to fire cancels one of the others, as a session closing its sibling would.
            if (recorder.Fired.Count == 1)
            {
                wheel.Cancel(nodes.First(n => n != fired && n.IsArmed));
            }
        };

        AdvanceTo(wheel, 0, 400);
        Assert.Equal(3, recorder.Fired.Count);
        Assert.Equal(0, wheel.Count);
    }

    [Fact]
    public void CallbackReschedulingItself_FiresAgainLater()
    {
        var wheel = new TimerWheel(0);
        var recorder = new Recorder();
        var node = new TimerNode(recorder);
        recorder.OnFire = fired =>
        {
            if (recorder.Fired.Count < 3)
            {
                wheel.Schedule(fired, recorder.Fired[^1].At + 100);
            }
        };
        wheel.Schedule(node, 100);

        AdvanceTo(wheel, 0, 1000);
        Assert.Equal(3, recorder.Fired.Count);
    }

    [Fact]
    public void Advance_AfterALongStall_FiresEverythingDue()
    {
        var wheel = new TimerWheel(0);
        var recorder = new Recorder();
        for (var i = 1; i <= 10; i++)
        {
            wheel.Schedule(new TimerNode(recorder), i * 7_000);
        }

        wheel.Advance(200_000);
        Assert.Equal(10, recorder.Fired.Count);
    }
}
