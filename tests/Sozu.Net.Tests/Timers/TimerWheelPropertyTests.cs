using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sozu.Net.Timers;
using Xunit;

namespace Sozu.Net.Tests.Timers;

/// <summary>One step of a script run against the wheel and a model of what it must do.</summary>
public sealed record WheelOp(WheelOpKind Kind, int Node, long Ms, int Other)
{
    public override string ToString() => $"{Kind}(node {Node}, {Ms} ms, other {Other})";
}

public enum WheelOpKind
{
    Schedule,
    Cancel,
    ScheduleRearmingOnce,
    CancelOtherWhenFired,
    Step,
    Jump,
    SleepAsTheLoopWould,
}

public static class WheelScripts
{
    public const int Nodes = 12;

    /// <summary>Milliseconds to days: a scale from 10 ms to 4.6 days, then a value under it.</summary>
    private static Gen<long> Span =>
        from scale in Gen.Elements(10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 400_000_000L)
        from fraction in Gen.Choose(0, 1_000_000)
        select scale * fraction / 1_000_000;

    private static Gen<WheelOp> Op =>
        from kind in Gen.Frequency(
            (6, Gen.Constant(WheelOpKind.Schedule)),
            (2, Gen.Constant(WheelOpKind.Cancel)),
            (2, Gen.Constant(WheelOpKind.ScheduleRearmingOnce)),
            (1, Gen.Constant(WheelOpKind.CancelOtherWhenFired)),
            (4, Gen.Constant(WheelOpKind.Step)),
            (2, Gen.Constant(WheelOpKind.Jump)),
            (2, Gen.Constant(WheelOpKind.SleepAsTheLoopWould)))
        from node in Gen.Choose(0, Nodes - 1)
        from other in Gen.Choose(0, Nodes - 1)
        from ms in kind == WheelOpKind.Step ? Gen.Choose(0, 300).Select(v => (long)v) : Span
        select new WheelOp(kind, node, ms, other);

    public static Arbitrary<WheelOp[]> Scripts() =>
        Arb.From(Gen.Choose(1, 150).SelectMany(length => Op.ArrayOf(length)));
}

/// <summary>
/// Random scripts (timeouts from milliseconds to days, cancels, re-arms from callbacks, small
/// steps and jumps of an injected clock) checked against a model: each arming fires exactly
/// once, never before its deadline and at the latest one tick after it; a cancelled node never
/// fires; the wait the loop would sleep never overshoots a deadline by more than a tick.
/// </summary>
[Properties(Arbitrary = [typeof(WheelScripts)], MaxTest = 300)]
public class TimerWheelPropertyTests
{
    private sealed class Model : ITimerTarget
    {
        private readonly TimerWheel _wheel;
        private readonly bool[] _armed = new bool[WheelScripts.Nodes];
        private readonly long[] _deadline = new long[WheelScripts.Nodes];
        private readonly long[] _armedAt = new long[WheelScripts.Nodes];
        private readonly long[] _rearmAfter = new long[WheelScripts.Nodes];
        private readonly int[] _cancelWhenFired = new int[WheelScripts.Nodes];
        private readonly TimerNode[] _nodes = new TimerNode[WheelScripts.Nodes];
        private long _advancingAt = -1;

        public Model(long startMs)
        {
            Now = startMs;
            _wheel = new TimerWheel(startMs);
            for (var i = 0; i < WheelScripts.Nodes; i++)
            {
                _nodes[i] = new TimerNode(this) { Kind = i };
                _rearmAfter[i] = -1;
                _cancelWhenFired[i] = -1;
            }
        }

        public long Now { get; private set; }

        public int Fired { get; private set; }

        public void Run(WheelOp op)
        {
            switch (op.Kind)
            {
                case WheelOpKind.Schedule:
                    Arm(op.Node, Now + op.Ms, Now);
                    break;
                case WheelOpKind.ScheduleRearmingOnce:
                    Arm(op.Node, Now + op.Ms, Now);
                    _rearmAfter[op.Node] = op.Ms / 3;
                    break;
                case WheelOpKind.Cancel:
                    Disarm(op.Node);
                    break;
                case WheelOpKind.CancelOtherWhenFired:
                    _cancelWhenFired[op.Node] = op.Other;
                    break;
                case WheelOpKind.Step:
                case WheelOpKind.Jump:
                    AdvanceTo(Now + op.Ms);
                    break;
                case WheelOpKind.SleepAsTheLoopWould:
                    var wait = _wheel.MillisecondsToNextExpiry(Now);
                    AdvanceTo(Now + (wait < 0 ? op.Ms : wait));
                    break;
                default:
                    throw new InvalidOperationException(op.Kind.ToString());
            }
        }

        /// <summary>Moves the clock far enough for every armed node to fire (re-arms included).</summary>
        public void Drain()
        {
            for (var round = 0; round < 4 && _wheel.Count > 0; round++)
            {
                AdvanceTo(Now + 1_000_000_000L);
            }
            Assert.Equal(0, _wheel.Count);
            Assert.DoesNotContain(true, _armed);
        }

        public void OnTimeout(TimerNode node, long nowMs)
        {
            var i = node.Kind;
            Assert.Equal(_advancingAt, nowMs);
            Assert.True(_armed[i], $"node {i} fired while not armed (cancelled, or fired twice)");
            Assert.True(nowMs >= _deadline[i], $"node {i} fired at {nowMs}, before its deadline {_deadline[i]}");
            Assert.False(node.IsArmed);
            _armed[i] = false;
            Fired++;
            if (_rearmAfter[i] >= 0)
            {
                var after = _rearmAfter[i];
                _rearmAfter[i] = -1;
                Arm(i, nowMs + after, nowMs);
            }
            if (_cancelWhenFired[i] >= 0)
            {
                Disarm(_cancelWhenFired[i]);
            }
        }

        private void Arm(int i, long deadline, long at)
        {
            _wheel.Schedule(_nodes[i], deadline);
            _armed[i] = true;
            _deadline[i] = deadline;
            _armedAt[i] = at;
        }

        private void Disarm(int i)
        {
            _wheel.Cancel(_nodes[i]);
            _armed[i] = false;
        }

        /// <summary>The latest a node may fire: a tick after its deadline, or after it was armed when that deadline had passed.</summary>
        private long LatestFiring(int i) => Math.Max(_deadline[i], _armedAt[i]) + TimerWheel.TickMs;

        private void AdvanceTo(long now)
        {
            var before = Now;
            var wait = _wheel.MillisecondsToNextExpiry(before);
            for (var i = 0; i < WheelScripts.Nodes; i++)
            {
                if (_armed[i])
                {
                    // Sleeping the wait the wheel asks for never carries a node past its latest firing.
                    Assert.InRange(wait, 0, Math.Max(0, LatestFiring(i) - before));
                }
            }
            Now = now;
            _advancingAt = now;
            _wheel.Advance(now);
            _advancingAt = -1;
            var armed = 0;
            for (var i = 0; i < WheelScripts.Nodes; i++)
            {
                Assert.Equal(_armed[i], _nodes[i].IsArmed);
                if (_armed[i])
                {
                    armed++;
                    Assert.True(now < LatestFiring(i), $"node {i} (deadline {_deadline[i]}) still armed at {now}");
                }
            }
            Assert.Equal(armed, _wheel.Count);
            if (armed == 0)
            {
                Assert.Equal(-1, _wheel.MillisecondsToNextExpiry(now));
            }
        }
    }

    [Property]
    public void EveryArmingFiresOnce_NeverEarly_AtMostATickLate_CancelledNeverFires(WheelOp[] script)
    {
        var model = new Model(1_000);
        foreach (var op in script)
        {
            model.Run(op);
        }
        model.Drain();
    }

    [Property]
    public void SameProperties_FromAClockNearTheEndOfAWheelTurn(WheelOp[] script)
    {
        // A start just before the top level wraps (2^36 ticks of 64 ms): the position crosses it.
        var model = new Model((1L << 42) - 5_000);
        foreach (var op in script)
        {
            model.Run(op);
        }
        model.Drain();
    }
}
