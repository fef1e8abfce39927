using Sozu.Net.Timers;
using Xunit;

namespace Sozu.Net.Tests.Timers;

/// <summary>
/// Issue 11, item 1: the old wheel (512 slots × 64 ms, one turn ≈ 32.8 s) set a node due a turn
/// or more later aside while it emptied the slot and filed it back afterwards. A callback that
/// cancelled or re-armed such a node (a session's back timeout closing the session, which cancels
/// or re-arms its front timeout of 60 s) made it fire although cancelled, or filed it twice and
/// linked the slot lists into a cycle: the loop spun in Advance until the supervisor killed it.
/// </summary>
public class TimerWheelFullTurnTests
{
    private const long OldTurnMs = 512 * 64;

    private sealed class Sibling : ITimerTarget
    {
        public int Fired;

        public Action<TimerNode, long>? OnFire { get; set; }

        public void OnTimeout(TimerNode node, long nowMs)
        {
            Fired++;
            OnFire?.Invoke(node, nowMs);
        }
    }

    /// <summary>Runs <paramref name="body"/> on its own thread: a wheel that spins fails the test instead of hanging the run.</summary>
    private static void Bounded(Action body)
    {
        var task = Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Assert.True(task.Wait(TimeSpan.FromSeconds(20)), "Advance did not return: the wheel spins");
        task.GetAwaiter().GetResult();
    }

    [Fact]
    public void CancellingASiblingDueAFullTurnLater_FromACallback_KeepsItFromFiring()
    {
        Bounded(() =>
        {
            const int Sessions = 500;
            var wheel = new TimerWheel(0);
            var back = new Sibling();
            var front = new Sibling();
            var fronts = new TimerNode[Sessions];
            for (var i = 0; i < Sessions; i++)
            {
                var backNode = new TimerNode(back) { Kind = i };
                fronts[i] = new TimerNode(front) { Kind = i };
                // The back timeout and the front timeout share a slot of the old wheel, a turn apart.
                wheel.Schedule(backNode, 30_000 + (i * 7));
                wheel.Schedule(fronts[i], 30_000 + (i * 7) + OldTurnMs);
            }
            back.OnFire = (node, _) => wheel.Cancel(fronts[node.Kind]);

            for (var now = 0L; now <= 200_000; now += 50)
            {
                wheel.Advance(now);
            }

            Assert.Equal(Sessions, back.Fired);
            Assert.Equal(0, front.Fired);
            Assert.Equal(0, wheel.Count);
        });
    }

    [Fact]
    public void RearmingASiblingDueAFullTurnLater_FromACallback_FiresItOnceAtItsNewDeadline()
    {
        Bounded(() =>
        {
            const int Sessions = 500;
            var wheel = new TimerWheel(0);
            var back = new Sibling();
            var front = new Sibling();
            var fronts = new TimerNode[Sessions];
            var rearmedTo = new long[Sessions];
            var firedAt = new long[Sessions];
            for (var i = 0; i < Sessions; i++)
            {
                var backNode = new TimerNode(back) { Kind = i };
                fronts[i] = new TimerNode(front) { Kind = i };
                wheel.Schedule(backNode, 30_000 + (i * 7));
                wheel.Schedule(fronts[i], 30_000 + (i * 7) + OldTurnMs);
            }
            back.OnFire = (node, now) =>
            {
                // A session answering 504 and lingering: its front timer re-armed 60 s ahead.
                rearmedTo[node.Kind] = now + 60_000;
                wheel.Schedule(fronts[node.Kind], rearmedTo[node.Kind]);
            };
            front.OnFire = (node, now) => firedAt[node.Kind] = now;

            for (var now = 0L; now <= 200_000; now += 50)
            {
                wheel.Advance(now);
            }

            Assert.Equal(Sessions, back.Fired);
            Assert.Equal(Sessions, front.Fired);
            for (var i = 0; i < Sessions; i++)
            {
                Assert.InRange(firedAt[i], rearmedTo[i], rearmedTo[i] + TimerWheel.TickMs + 50);
            }
            Assert.Equal(0, wheel.Count);
        });
    }
}
