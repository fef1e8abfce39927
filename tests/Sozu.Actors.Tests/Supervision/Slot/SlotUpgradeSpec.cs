using Akka.Actor;
using Akka.TestKit;
using Sozu.Actors.Configuration;
using Sozu.Actors.Hocon;
using Sozu.Actors.Supervision;
using Sozu.Actors.Workers;
using Sozu.Messages.Answers;
using Sozu.Messages.Events;

namespace Sozu.Actors.Tests.Supervision.Slot;

/// <summary>upgrade_worker: the hand-over order, and every way it can fail or race a crash.</summary>
public sealed class SlotUpgradeSpec : SlotSpec
{
    private static readonly int First = SozuHocon.WorkerSlot(0);
    private static readonly int Second = WorkerCommand.AlternateSlot(0);

    private Answer UpgradeAnswer() => ExpectConfiguration<UpgradeDone>().Answer;

    /// <summary>Serving, upgrade asked: the new process is started on the other slot.</summary>
    private (IActorRef Slot, WorkerProcess Old, TestProbe OldWorker, Launched New) Upgrade(WorkerSlotSettings settings)
    {
        var (slot, old, oldWorker) = StartServing(settings);
        slot.Tell(new UpgradeSlot("upgrade-1", TestActor));
        ExpectTransition(WorkerSlotState.Serving, WorkerSlotState.Upgrading);
        return (slot, old, oldWorker, ExpectLaunch(Second));
    }

    [Fact]
    public void The_old_worker_is_told_to_stop_softly_only_once_the_new_one_is_in_sync_and_accepting()
    {
        var (slot, old, oldWorker, fresh) = Upgrade(Settings());

        var newWorker = Hello(slot, fresh.Process.Pid);
        ExpectNothingMore(slot, oldWorker); // registered, being synced: the old one still serves alone

        slot.Tell(new WorkerReady(0, newWorker.Ref));
        var stop = oldWorker.ExpectMsg<StopWorker>();
        Assert.Equal((false, false), (stop.Hard, stop.RefuseNew)); // it drains; the shared sockets stay with the new one
        Assert.Equal(AnswerStatus.Ok, UpgradeAnswer().Status);
        ExpectTransition(WorkerSlotState.Upgrading, WorkerSlotState.Serving);

        // The old one's exit is no death; a worker_restarted is not an upgrade's business either.
        Launcher.Exit(old, 0);
        ExpectNothingMore(slot, Crashes, Restarts, Transitions);
    }

    [Fact]
    public void The_standby_is_killed_first_and_the_new_process_started_only_once_its_slot_is_free()
    {
        var (slot, old, oldWorker) = StartServing(Settings() with { Standby = true });
        var standby = ExpectLaunch(Second, standby: true);
        Launcher.KillsExit = false;

        slot.Tell(new UpgradeSlot("upgrade-1", TestActor));
        ExpectKill(standby.Process);
        // What arrives meanwhile waits: a late hello is answered after the launch, in order.
        var late = CreateTestProbe();
        slot.Tell(new WorkerHello(0, Launcher.Foreign(), late.Ref, Serving: true), late.Ref);
        ExpectNothingMore(slot, Processes, late);

        Launcher.Exit(standby.Process, 137);
        var fresh = ExpectLaunch(Second);
        late.ExpectMsg<StopWorker>();
        var newWorker = Hello(slot, fresh.Process.Pid);
        slot.Tell(new WorkerReady(0, newWorker.Ref));
        oldWorker.ExpectMsg<StopWorker>();

        // No standby while the old process drains on the slot it needs; one once it has exited.
        ExpectNothingMore(slot, Processes);
        Launcher.Exit(old, 0);
        ExpectLaunch(First, standby: true);
    }

    [Fact]
    public void A_new_process_that_dies_before_it_is_ready_fails_the_upgrade_and_the_old_worker_serves_on()
    {
        var (slot, old, oldWorker, fresh) = Upgrade(Settings());
        var newWorker = Hello(slot, fresh.Process.Pid);

        Launcher.Exit(fresh.Process, 70);
        Assert.Equal(newWorker.Ref, ExpectConfiguration<WorkerLeft>().Worker);
        Assert.Equal(AnswerStatus.Error, UpgradeAnswer().Status);
        // The configuration actor took the new one in the old one's place: it gets the old one back.
        Assert.Equal(oldWorker.Ref, ExpectConfiguration<WorkerJoined>().Worker);
        ExpectTransition(WorkerSlotState.Upgrading, WorkerSlotState.Serving);
        ExpectNothingMore(slot, oldWorker, Crashes);

        // The old one is the slot's worker again: its death is a death.
        Launcher.Exit(old, 137);
        Assert.Equal(EventKind.WorkerCrashed, Crashes.ExpectMsg<Event>().Kind);
        ExpectTransition(WorkerSlotState.Serving, WorkerSlotState.Starting);
        ExpectLaunch(First);
    }

    [Fact]
    public void An_upgrade_racing_a_crash_where_the_old_worker_dies_then_the_new_one_restarts_the_slot()
    {
        var (slot, old, _, fresh) = Upgrade(Settings());

        Launcher.Exit(old, 137);
        Assert.Equal(EventKind.WorkerCrashed, Crashes.ExpectMsg<Event>().Kind);
        Launcher.Exit(fresh.Process, 137);
        Assert.Equal(AnswerStatus.Error, UpgradeAnswer().Status);
        Assert.Equal(EventKind.WorkerCrashed, Crashes.ExpectMsg<Event>().Kind);
        // Neither is left: the slot is not left empty, it restarts after the back-off.
        ExpectTransition(WorkerSlotState.Upgrading, WorkerSlotState.Vacant);
        Advance(slot, MinBackoff);
        ExpectTransition(WorkerSlotState.Vacant, WorkerSlotState.Starting);
        ExpectLaunch(Second);
    }

    [Fact]
    public void An_upgrade_racing_a_crash_where_the_new_worker_dies_then_the_old_one_restarts_the_slot()
    {
        var (slot, old, _, fresh) = Upgrade(Settings());

        Launcher.Exit(fresh.Process, 137);
        Assert.Equal(AnswerStatus.Error, UpgradeAnswer().Status);
        ExpectTransition(WorkerSlotState.Upgrading, WorkerSlotState.Serving);
        Launcher.Exit(old, 137);
        Assert.Equal(EventKind.WorkerCrashed, Crashes.ExpectMsg<Event>().Kind);
        ExpectTransition(WorkerSlotState.Serving, WorkerSlotState.Starting); // it served: at once
        ExpectLaunch(First);
    }

    [Fact]
    public void When_the_old_worker_dies_during_the_upgrade_the_new_one_takes_over_when_ready()
    {
        var (slot, old, _, fresh) = Upgrade(Settings());

        Launcher.Exit(old, 137);
        Assert.Equal(EventKind.WorkerCrashed, Crashes.ExpectMsg<Event>().Kind);
        var newWorker = Hello(slot, fresh.Process.Pid);
        slot.Tell(new WorkerReady(0, newWorker.Ref));
        var answer = UpgradeAnswer();
        Assert.Equal(AnswerStatus.Ok, answer.Status);
        Assert.Contains("already exited", answer.Message, StringComparison.Ordinal);
        ExpectTransition(WorkerSlotState.Upgrading, WorkerSlotState.Serving);
    }

    [Fact]
    public void Pings_go_to_the_old_worker_until_the_new_one_registers_and_a_booting_process_is_never_taken_for_wedged()
    {
        var (slot, old, oldWorker, fresh) = Upgrade(Settings() with { PingTimeout = TimeSpan.FromSeconds(3), HelloTimeout = TimeSpan.FromMinutes(1) });
        Advance(slot, TimeSpan.FromSeconds(1));
        oldWorker.ExpectMsg<WorkerPing>();

        // The old one dies; the new one boots for longer than the ping timeout: not killed.
        Launcher.Exit(old, 137);
        for (var i = 0; i < 5; i++)
        {
            Advance(slot, TimeSpan.FromSeconds(1));
        }
        ExpectNothingMore(slot, Processes);

        var newWorker = Hello(slot, fresh.Process.Pid);
        Advance(slot, TimeSpan.FromSeconds(1));
        newWorker.ExpectMsg<WorkerPing>();
    }

    [Fact]
    public void A_new_process_that_does_not_say_hello_in_time_is_killed_and_the_upgrade_fails()
    {
        var (slot, _, _, fresh) = Upgrade(Settings());

        Advance(slot, TimeSpan.FromSeconds(15));
        ExpectKill(fresh.Process);
        Assert.Equal(AnswerStatus.Error, UpgradeAnswer().Status);
        ExpectTransition(WorkerSlotState.Upgrading, WorkerSlotState.Serving);
    }

    [Fact]
    public void A_new_process_that_cannot_be_started_fails_the_upgrade_at_once()
    {
        var (slot, _, _) = StartServing(Settings());
        Launcher.StartsFail = true;

        slot.Tell(new UpgradeSlot("upgrade-1", TestActor));
        Assert.Equal(AnswerStatus.Error, UpgradeAnswer().Status);
        ExpectNothingMore(slot, Transitions); // it never left Serving
        Launcher.StartsFail = false;
        slot.Tell(new UpgradeSlot("upgrade-2", TestActor));
        ExpectTransition(WorkerSlotState.Serving, WorkerSlotState.Upgrading);
        ExpectLaunch(Second);
    }

    [Fact]
    public void A_second_upgrade_fails_while_the_first_runs_and_while_its_old_process_drains()
    {
        var (slot, _, _, fresh) = Upgrade(Settings());
        slot.Tell(new UpgradeSlot("upgrade-2", TestActor));
        Assert.Contains("already running", UpgradeAnswer().Message, StringComparison.Ordinal);

        var newWorker = Hello(slot, fresh.Process.Pid);
        slot.Tell(new WorkerReady(0, newWorker.Ref));
        Assert.Equal(AnswerStatus.Ok, UpgradeAnswer().Status);
        slot.Tell(new UpgradeSlot("upgrade-3", TestActor));
        Assert.Contains("has not exited yet", UpgradeAnswer().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_old_worker_still_draining_past_the_soft_stop_grace_is_killed()
    {
        var (slot, old, oldWorker, fresh) = Upgrade(Settings());
        var newWorker = Hello(slot, fresh.Process.Pid);
        slot.Tell(new WorkerReady(0, newWorker.Ref));
        oldWorker.ExpectMsg<StopWorker>();
        ExpectTransition(WorkerSlotState.Upgrading, WorkerSlotState.Serving);

        Advance(slot, TimeSpan.FromSeconds(30));
        ExpectKill(old);
        ExpectNothingMore(slot, Crashes, Transitions);
    }

    [Fact]
    public void A_stop_during_an_upgrade_fails_it_and_stops_both_workers()
    {
        var (slot, old, oldWorker, fresh) = Upgrade(Settings());
        var newWorker = Hello(slot, fresh.Process.Pid);

        slot.Tell(new StopSlot(Hard: false));
        Assert.Equal(AnswerStatus.Error, UpgradeAnswer().Status);
        ExpectTransition(WorkerSlotState.Upgrading, WorkerSlotState.Stopping);
        Assert.True(oldWorker.ExpectMsg<StopWorker>().RefuseNew);
        Assert.True(newWorker.ExpectMsg<StopWorker>().RefuseNew);

        Launcher.Exit(old, 0);
        Launcher.Exit(fresh.Process, 0);
        ExpectConfiguration<SlotsStopped>();
        ExpectTransition(WorkerSlotState.Stopping, WorkerSlotState.Stopped);
    }
}
