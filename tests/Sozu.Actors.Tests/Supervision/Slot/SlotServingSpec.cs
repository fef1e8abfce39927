using Akka.Actor;
using Sozu.Actors.Configuration;
using Sozu.Actors.Hocon;
using Sozu.Actors.Supervision;
using Sozu.Actors.Workers;
using Sozu.Messages.Answers;
using Sozu.Messages.Events;
using Sozu.Messages.State;
using Sozu.Messages.Workers;

namespace Sozu.Actors.Tests.Supervision.Slot;

/// <summary>A serving worker's deaths and their replacement: back-off, wedge, DeathWatch, the standby.</summary>
public sealed class SlotServingSpec : SlotSpec
{
    private static readonly int First = SozuHocon.WorkerSlot(0);
    private static readonly int Second = WorkerCommand.AlternateSlot(0);

    private (int, TimeSpan) Restart()
    {
        var restart = Restarts.ExpectMsg<RestartScheduled>();
        return (restart.CrashesInARow, restart.Delay);
    }

    [Fact]
    public void A_worker_that_served_and_died_is_restarted_at_once_and_a_crash_right_after_is_backed_off()
    {
        var (slot, process, worker) = StartServing(Settings());

        Launcher.Exit(process, 137);
        Assert.Equal(EventKind.WorkerCrashed, Crashes.ExpectMsg<Event>().Kind);
        Assert.Equal(worker.Ref, ExpectConfiguration<WorkerLeft>().Worker);
        Assert.Equal((1, TimeSpan.Zero), Restart());
        ExpectTransition(WorkerSlotState.Serving, WorkerSlotState.Starting);
        var second = ExpectLaunch(First);

        // It dies before it ever served: a crash loop begins, backed off.
        Launcher.Exit(second.Process, 70);
        Assert.Equal((2, MinBackoff * 2), Restart());
        ExpectTransition(WorkerSlotState.Starting, WorkerSlotState.Vacant);
        Advance(slot, MinBackoff * 2 - TimeSpan.FromMilliseconds(1));
        ExpectNothingMore(slot, Processes);
        Advance(slot, TimeSpan.FromMilliseconds(1));
        ExpectTransition(WorkerSlotState.Vacant, WorkerSlotState.Starting);
        ExpectLaunch(First);
    }

    [Fact]
    public void The_back_off_doubles_up_to_its_maximum_and_starts_over_after_a_quiet_life()
    {
        var slot = StartSlot(Settings());
        var delays = new List<double>();
        for (var i = 0; i < 6; i++)
        {
            var launched = Processes.ExpectMsg<Launched>();
            Launcher.Exit(launched.Process, 1);
            var (crashes, delay) = Restart();
            Assert.Equal(i + 1, crashes);
            delays.Add(delay.TotalMilliseconds);
            Advance(slot, delay);
        }
        Assert.Equal([200, 400, 800, 1600, 1600, 1600], delays);

        // This one lives past reset-after (60 s of virtual time) before it dies: the count starts over.
        var quiet = Processes.ExpectMsg<Launched>();
        Hello(slot, quiet.Process.Pid);
        Advance(slot, TimeSpan.FromSeconds(61));
        Launcher.Exit(quiet.Process, 1);
        Assert.Equal((1, MinBackoff), Restart());
    }

    [Fact]
    public void A_wedged_loop_that_misses_its_pongs_is_killed_and_replaced()
    {
        var (slot, process, worker) = StartServing(Settings() with { PingTimeout = TimeSpan.FromSeconds(3) });

        // Answered pings keep it alive, however long it runs.
        for (var i = 0; i < 5; i++)
        {
            Advance(slot, TimeSpan.FromSeconds(1));
            var ping = worker.ExpectMsg<WorkerPing>();
            slot.Tell(new WorkerPong(ping.Sequence, 0), worker.Ref);
        }
        ExpectNothingMore(slot, Processes);

        // Then no pong for longer than the ping timeout (3 s): killed, and its death replaces it.
        for (var i = 0; i < 4; i++)
        {
            Advance(slot, TimeSpan.FromSeconds(1));
        }
        ExpectKill(process);
        Assert.Equal(EventKind.WorkerCrashed, Crashes.ExpectMsg<Event>().Kind);
        ExpectTransition(WorkerSlotState.Serving, WorkerSlotState.Starting);
        ExpectLaunch(First);
    }

    [Fact]
    public void DeathWatch_on_the_worker_actor_makes_sure_its_process_is_gone()
    {
        var (slot, process, worker) = StartServing(Settings());

        Sys.Stop(worker.Ref);
        ExpectKill(process);
        ExpectTransition(WorkerSlotState.Serving, WorkerSlotState.Starting);
        ExpectLaunch(First);
    }

    [Fact]
    public void A_restart_asked_by_the_configuration_actor_kills_the_worker_and_starts_another()
    {
        var (slot, process, _) = StartServing(Settings());

        slot.Tell(new RestartWorker(0, "refused the current state"));
        ExpectKill(process);
        ExpectTransition(WorkerSlotState.Serving, WorkerSlotState.Starting);
        ExpectLaunch(First);
    }

    [Fact]
    public void An_adopted_worker_whose_pidfd_reports_its_exit_is_replaced()
    {
        var slot = StartSlot(Settings() with { AutomaticRestart = true });
        ExpectTransition(null, WorkerSlotState.Starting);
        var started = ExpectLaunch(First);
        var pid = Launcher.Foreign();
        Hello(slot, pid);
        ExpectKill(started.Process);
        var adopted = Processes.ExpectMsg<Adopted>().Process;
        ExpectTransition(WorkerSlotState.Starting, WorkerSlotState.Serving);

        Launcher.Exit(adopted, null);
        Assert.Equal(EventKind.WorkerCrashed, Crashes.ExpectMsg<Event>().Kind);
        ExpectTransition(WorkerSlotState.Serving, WorkerSlotState.Vacant); // it never served: backed off
        Advance(slot, MinBackoff);
        ExpectTransition(WorkerSlotState.Vacant, WorkerSlotState.Starting);
        ExpectLaunch(First);
    }

    [Fact]
    public void With_automatic_restart_off_a_dead_worker_leaves_the_slot_vacant_until_a_live_worker_says_hello()
    {
        var (slot, process, _) = StartServing(Settings() with { AutomaticRestart = false });

        Launcher.Exit(process, 137);
        ExpectTransition(WorkerSlotState.Serving, WorkerSlotState.Vacant);
        Advance(slot, TimeSpan.FromMinutes(5));
        ExpectNothingMore(slot, Processes, Restarts);

        Hello(slot, Launcher.Foreign());
        ExpectTransition(WorkerSlotState.Vacant, WorkerSlotState.Serving);
    }

    [Fact]
    public void Worker_restarted_is_published_when_a_replacement_is_ready_not_for_the_first_worker()
    {
        var (slot, process, _) = StartServing(Settings());
        ExpectNothingMore(slot, Crashes);

        Launcher.Exit(process, 137);
        Assert.Equal(EventKind.WorkerCrashed, Crashes.ExpectMsg<Event>().Kind);
        var next = ExpectLaunch(First);
        var worker = Hello(slot, next.Process.Pid);
        slot.Tell(new WorkerReady(0, worker.Ref));
        Assert.Equal(EventKind.WorkerRestarted, Crashes.ExpectMsg<Event>().Kind);
    }

    [Fact]
    public void A_standby_starts_behind_a_ready_worker_is_synced_and_takes_over_at_its_death()
    {
        var (slot, process, _) = StartServing(Settings() with { Standby = true });
        var standby = ExpectLaunch(Second, standby: true);

        // It says hello: welcomed, and warmed with the committed state.
        var standbyActor = CreateTestProbe();
        slot.Tell(new StandbyHello(0, standby.Process.Pid, standbyActor.Ref), standbyActor.Ref);
        standbyActor.ExpectMsg<StandbyWelcome>();
        ExpectConfiguration<GetState>();
        slot.Tell(new CurrentState(ConfigState.Empty));
        var sync = standbyActor.ExpectMsg<SyncState>();
        slot.Tell(new WorkerResponse(sync.Id, 0, AnswerStatus.Ok), standbyActor.Ref);

        // The worker dies: the standby takes over at once, no start, no back-off.
        Launcher.Exit(process, 137);
        standbyActor.ExpectMsg<ActivateStandby>();
        Assert.Equal((1, TimeSpan.Zero), Restart());
        ExpectTransition(WorkerSlotState.Serving, WorkerSlotState.Starting);
        slot.Tell(new WorkerHello(0, standby.Process.Pid, standbyActor.Ref, Serving: false), standbyActor.Ref);
        standbyActor.ExpectMsg<WorkerWelcome>();
        ExpectTransition(WorkerSlotState.Starting, WorkerSlotState.Serving);
        ExpectNothingMore(slot, Processes);

        // Once it is ready, a new standby follows it, on the slot the dead worker freed.
        slot.Tell(new WorkerReady(0, standbyActor.Ref));
        ExpectLaunch(First, standby: true);
    }

    [Fact]
    public void A_standby_promoted_before_its_hello_is_activated_when_it_says_hello()
    {
        var (slot, process, _) = StartServing(Settings() with { Standby = true });
        var standby = ExpectLaunch(Second, standby: true);

        Launcher.Exit(process, 137);
        ExpectTransition(WorkerSlotState.Serving, WorkerSlotState.Starting);
        var standbyActor = CreateTestProbe();
        slot.Tell(new StandbyHello(0, standby.Process.Pid, standbyActor.Ref), standbyActor.Ref);
        standbyActor.ExpectMsg<ActivateStandby>();
    }

    [Fact]
    public void A_standby_that_dies_or_refuses_the_state_is_replaced_after_its_own_back_off()
    {
        var (slot, _, _) = StartServing(Settings() with { Standby = true });
        var first = ExpectLaunch(Second, standby: true);

        Launcher.Exit(first.Process, 1);
        Advance(slot, MinBackoff - TimeSpan.FromMilliseconds(1));
        ExpectNothingMore(slot, Processes);
        Advance(slot, TimeSpan.FromMilliseconds(1));
        var second = ExpectLaunch(Second, standby: true);

        var standbyActor = CreateTestProbe();
        slot.Tell(new StandbyHello(0, second.Process.Pid, standbyActor.Ref), standbyActor.Ref);
        standbyActor.ExpectMsg<StandbyWelcome>();
        slot.Tell(new CurrentState(ConfigState.Empty));
        var sync = standbyActor.ExpectMsg<SyncState>();
        slot.Tell(new WorkerResponse(sync.Id, 0, AnswerStatus.Error, "bad state"), standbyActor.Ref);
        ExpectKill(second.Process);
        Advance(slot, MinBackoff * 2);
        ExpectLaunch(Second, standby: true);
        ExpectNothingMore(slot, Transitions);
    }
}
