using Akka.Actor;
using Sozu.Actors.Configuration;
using Sozu.Actors.Hocon;
using Sozu.Actors.Supervision;
using Sozu.Actors.Workers;

namespace Sozu.Actors.Tests.Supervision.Slot;

/// <summary>StopSlot (soft_stop, hard_stop, SIGTERM): from every state that has a process, answered once its process has exited.</summary>
public sealed class SlotStopSpec : SlotSpec
{
    private static readonly int First = SozuHocon.WorkerSlot(0);
    private static readonly int Second = WorkerCommand.AlternateSlot(0);

    [Fact]
    public void A_soft_stop_tells_the_worker_kills_the_standby_and_is_answered_once_the_worker_exited()
    {
        var (slot, process, worker) = StartServing(Settings() with { Standby = true });
        var standby = ExpectLaunch(Second, standby: true);

        slot.Tell(new StopSlot(Hard: false));
        ExpectTransition(WorkerSlotState.Serving, WorkerSlotState.Stopping);
        ExpectKill(standby.Process);
        var stop = worker.ExpectMsg<StopWorker>();
        Assert.Equal((false, true), (stop.Hard, stop.RefuseNew)); // the whole product stops: new connections refused at once
        ExpectNothingMore(slot, Configuration);

        Launcher.Exit(process, 0);
        Assert.Equal(worker.Ref, ExpectConfiguration<WorkerLeft>().Worker);
        ExpectConfiguration<SlotsStopped>();
        ExpectTransition(WorkerSlotState.Stopping, WorkerSlotState.Stopped);
        // Its exit was a stop, not a death: nothing restarts.
        Advance(slot, TimeSpan.FromMinutes(1));
        ExpectNothingMore(slot, Processes, Crashes, Restarts);
    }

    [Fact]
    public void A_stop_while_starting_kills_the_process_that_has_not_said_hello()
    {
        var slot = StartSlot(Settings());
        ExpectTransition(null, WorkerSlotState.Starting);
        var started = ExpectLaunch(First);

        slot.Tell(new StopSlot(Hard: false));
        ExpectTransition(WorkerSlotState.Starting, WorkerSlotState.Stopping);
        ExpectKill(started.Process);
        ExpectConfiguration<SlotsStopped>();
        ExpectTransition(WorkerSlotState.Stopping, WorkerSlotState.Stopped);
    }

    [Fact]
    public void A_stop_during_the_back_off_is_answered_at_once_and_nothing_restarts()
    {
        var slot = StartSlot(Settings());
        var started = ExpectLaunch(First);
        Launcher.Exit(started.Process, 1);
        ExpectTransition(null, WorkerSlotState.Starting);
        ExpectTransition(WorkerSlotState.Starting, WorkerSlotState.Vacant);

        slot.Tell(new StopSlot(Hard: false));
        ExpectConfiguration<SlotsStopped>();
        ExpectTransition(WorkerSlotState.Vacant, WorkerSlotState.Stopped);
        Advance(slot, TimeSpan.FromMinutes(1));
        ExpectNothingMore(slot, Processes);
    }

    [Fact]
    public void A_worker_that_does_not_stop_within_the_grace_is_killed()
    {
        var (slot, process, worker) = StartServing(Settings());

        slot.Tell(new StopSlot(Hard: false));
        worker.ExpectMsg<StopWorker>();
        Advance(slot, TimeSpan.FromSeconds(30));
        ExpectKill(process);
        ExpectConfiguration<SlotsStopped>();
        ExpectTransition(WorkerSlotState.Serving, WorkerSlotState.Stopping);
        ExpectTransition(WorkerSlotState.Stopping, WorkerSlotState.Stopped);
    }

    [Fact]
    public void A_hard_stop_overtakes_a_soft_one_with_the_hard_grace()
    {
        var (slot, process, worker) = StartServing(Settings());
        slot.Tell(new StopSlot(Hard: false));
        Assert.False(worker.ExpectMsg<StopWorker>().Hard);

        slot.Tell(new StopSlot(Hard: true));
        Assert.True(worker.ExpectMsg<StopWorker>().Hard);
        Advance(slot, TimeSpan.FromSeconds(2));
        ExpectKill(process);
        ExpectConfiguration<SlotsStopped>();
    }

    [Fact]
    public void A_killed_worker_whose_exit_is_never_seen_does_not_hold_the_stop_for_ever()
    {
        var (slot, _, _) = StartServing(Settings());
        Launcher.KillsExit = false;

        slot.Tell(new StopSlot(Hard: true));
        Advance(slot, TimeSpan.FromSeconds(2)); // the grace: killed
        ExpectNothingMore(slot, Configuration);
        Advance(slot, TimeSpan.FromSeconds(2)); // the kill's grace: the slot stops waiting
        ExpectConfiguration<SlotsStopped>();
    }

    [Fact]
    public void A_stopped_slot_answers_a_stop_only_once_and_tells_a_late_worker_to_stop()
    {
        var (slot, process, _) = StartServing(Settings());
        slot.Tell(new StopSlot(Hard: false));
        Launcher.Exit(process, 0);
        ExpectConfiguration<SlotsStopped>();

        slot.Tell(new StopSlot(Hard: true));
        var late = CreateTestProbe();
        slot.Tell(new WorkerHello(0, Launcher.Foreign(), late.Ref, Serving: true), late.Ref);
        var stop = late.ExpectMsg<StopWorker>();
        Assert.Equal((false, true), (stop.Hard, stop.RefuseNew));
        slot.Tell(new UpgradeSlot("upgrade-1", TestActor));
        Assert.Equal(Sozu.Messages.Answers.AnswerStatus.Error, ExpectConfiguration<UpgradeDone>().Answer.Status);
        ExpectNothingMore(slot, Configuration, Processes);
    }
}
