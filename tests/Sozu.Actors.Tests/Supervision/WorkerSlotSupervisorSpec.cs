using Akka.Actor;
using Akka.TestKit.Xunit2;
using Sozu.Actors.Supervision;
using Sozu.Actors.Workers;
using Sozu.Messages.Events;

namespace Sozu.Actors.Tests.Supervision;

/// <summary>
/// The slot supervisor with real short-lived processes (/bin/sh) in place of sozu-worker: each
/// exits without saying hello, which is exactly a worker dying at start-up.
/// </summary>
public sealed class WorkerSlotSupervisorSpec : TestKit
{
    private static WorkerCommand Shell(string script) => new("/bin/sh", ["-c", script]);

    private IActorRef StartSlot(WorkerSlotSettings settings)
    {
        Sys.EventStream.Subscribe(TestActor, typeof(RestartScheduled));
        Sys.EventStream.Subscribe(TestActor, typeof(Event));
        return Sys.ActorOf(WorkerSlotSupervisor.Props(settings));
    }

    private RestartScheduled NextRestart()
    {
        // Each crash publishes worker_crashed, then the scheduled restart.
        ExpectMsg<Event>(e => Assert.Equal(EventKind.WorkerCrashed, e.Kind), TimeSpan.FromSeconds(5));
        return ExpectMsg<RestartScheduled>(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void A_worker_dying_at_start_is_restarted_after_a_back_off_that_doubles_up_to_the_maximum()
    {
        var slot = StartSlot(new WorkerSlotSettings(3, Shell("exit 3"))
        {
            MinBackoff = TimeSpan.FromMilliseconds(50),
            MaxBackoff = TimeSpan.FromMilliseconds(400),
            Jitter = 0,
        });

        var delays = new List<double>();
        var started = DateTime.UtcNow;
        for (var i = 0; i < 6; i++)
        {
            var restart = NextRestart();
            Assert.Equal(3, restart.WorkerId);
            Assert.Equal(i + 1, restart.CrashesInARow);
            delays.Add(restart.Delay.TotalMilliseconds);
        }
        Sys.Stop(slot);

        Assert.Equal([50, 100, 200, 400, 400, 400], delays);
        // Backed off, not spun: six crashes take at least the sum of the first five delays.
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(50 + 100 + 200 + 400 + 400));
    }

    [Fact]
    public void A_worker_that_lived_past_the_quiet_period_starts_the_back_off_over()
    {
        var slot = StartSlot(new WorkerSlotSettings(0, Shell("sleep 0.4; exit 3"))
        {
            MinBackoff = TimeSpan.FromMilliseconds(50),
            ResetAfter = TimeSpan.FromMilliseconds(200),
            Jitter = 0,
        });

        for (var i = 0; i < 3; i++)
        {
            var restart = NextRestart();
            Assert.Equal(1, restart.CrashesInARow);
            Assert.Equal(50, restart.Delay.TotalMilliseconds);
        }
        Sys.Stop(slot);
    }

    [Fact]
    public void A_worker_that_served_then_died_is_restarted_at_once_and_a_crash_right_after_is_backed_off()
    {
        var restarts = CreateTestProbe();
        Sys.EventStream.Subscribe(restarts.Ref, typeof(RestartScheduled));
        var slot = ActorOfAsTestActorRef<WorkerSlotSupervisor>(WorkerSlotSupervisor.Props(new WorkerSlotSettings(4, Shell("sleep 1; exit 3"))
        {
            MinBackoff = TimeSpan.FromMilliseconds(50),
            Jitter = 0,
        }));

        // The test actor plays the worker of the first process: registered, then in sync.
        var pid = slot.UnderlyingActor.CurrentPid;
        Assert.NotEqual(0, pid);
        slot.Tell(new WorkerHello(4, pid, TestActor, Serving: false));
        slot.Tell(new WorkerReady(4, TestActor));

        var first = restarts.ExpectMsg<RestartScheduled>(TimeSpan.FromSeconds(5));
        Assert.Equal((1, TimeSpan.Zero), (first.CrashesInARow, first.Delay));
        // The next process dies without ever serving, a second after: a crash loop starts, backed off.
        var second = restarts.ExpectMsg<RestartScheduled>(TimeSpan.FromSeconds(5));
        Assert.Equal((2, TimeSpan.FromMilliseconds(100)), (second.CrashesInARow, second.Delay));
        Sys.Stop(slot);
    }

    [Fact]
    public void With_automatic_restart_off_a_dead_worker_stays_dead()
    {
        var slot = StartSlot(new WorkerSlotSettings(1, Shell("exit 3"))
        {
            AutomaticRestart = false,
            MinBackoff = TimeSpan.FromMilliseconds(10),
        });

        ExpectMsg<Event>(e => Assert.Equal((EventKind.WorkerCrashed, 1), (e.Kind, e.WorkerId)), TimeSpan.FromSeconds(5));
        ExpectNoMsg(TimeSpan.FromSeconds(1));
        Sys.Stop(slot);
    }

    [Fact]
    public void A_command_that_cannot_be_started_is_backed_off_like_a_crash()
    {
        var slot = StartSlot(new WorkerSlotSettings(2, new WorkerCommand("/nonexistent/sozu-worker", []))
        {
            MinBackoff = TimeSpan.FromMilliseconds(20),
            Jitter = 0,
        });

        Assert.Equal(1, ExpectMsg<RestartScheduled>(TimeSpan.FromSeconds(5)).CrashesInARow);
        Assert.Equal(2, ExpectMsg<RestartScheduled>(TimeSpan.FromSeconds(5)).CrashesInARow);
        Sys.Stop(slot);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(0.999)]
    public void Backoff_stays_within_the_jitter_around_the_doubled_delay(double random)
    {
        var settings = new WorkerSlotSettings(0, Shell("true"))
        {
            MinBackoff = TimeSpan.FromMilliseconds(200),
            MaxBackoff = TimeSpan.FromSeconds(30),
            Jitter = 0.2,
        };
        for (var crashes = 1; crashes <= 12; crashes++)
        {
            var nominal = Math.Min(30_000, 200 * Math.Pow(2, crashes - 1));
            var delay = CrashBackoff.From(settings).Delay(crashes, random).TotalMilliseconds;
            Assert.InRange(delay, nominal * 0.8 - 0.001, nominal * 1.2 + 0.001);
        }
    }
}
