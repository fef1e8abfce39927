using Akka.Actor;
using Akka.TestKit;
using Sozu.Actors.Configuration;
using Sozu.Actors.Hocon;
using Sozu.Actors.Remoting;
using Sozu.Actors.Supervision;
using Sozu.Actors.Workers;

namespace Sozu.Actors.Tests.Supervision.Slot;

/// <summary>How a slot gets its worker: started, adopted at start, adopted by a late hello.</summary>
public sealed class SlotStartSpec : SlotSpec, IDisposable
{
    private static readonly int First = SozuHocon.WorkerSlot(0);
    private static readonly int Second = WorkerCommand.AlternateSlot(0);
    private readonly string _directory = Directory.CreateTempSubdirectory("sozu-slot-").FullName;

    public new void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        base.Dispose();
    }

    private void SocketFile(int slot) => File.WriteAllBytes(SocketDirectory.SocketPath(_directory, "worker", slot), []);

    [Fact]
    public void Without_a_socket_file_the_slot_starts_a_worker_and_registers_it_at_its_hello()
    {
        var slot = StartSlot(Settings());
        ExpectConfiguration<SlotStarted>();
        ExpectTransition(null, WorkerSlotState.Starting);
        var launched = ExpectLaunch(First);

        Hello(slot, launched.Process.Pid);
        ExpectTransition(WorkerSlotState.Starting, WorkerSlotState.Serving);
    }

    [Fact]
    public void With_a_socket_file_the_slot_probes_and_adopts_the_worker_that_answers()
    {
        SocketFile(Second);
        var slot = StartSlot(Settings() with { SocketDirectory = _directory });
        ExpectConfiguration<SlotAdopting>();
        ExpectTransition(null, WorkerSlotState.Adopting);

        // The worker answers the probe: welcomed, it replies with its hello and is adopted.
        var worker = CreateTestProbe();
        slot.Tell(new ActorIdentity(Second, worker.Ref));
        worker.ExpectMsg<WorkerWelcome>();
        var pid = Launcher.Foreign();
        Hello(slot, pid);
        ExpectTransition(WorkerSlotState.Adopting, WorkerSlotState.Serving);
        Assert.Equal(pid, Processes.ExpectMsg<Adopted>().Process.Pid);

        // Adopted before the deadline: no process of our own, ever.
        Advance(slot, TimeSpan.FromSeconds(10));
        ExpectNothingMore(slot, Processes, Transitions);
    }

    [Fact]
    public void At_the_probe_deadline_the_slot_starts_its_worker_on_the_slot_whose_socket_is_free()
    {
        SocketFile(First);
        var slot = StartSlot(Settings() with { SocketDirectory = _directory, AdoptTimeout = TimeSpan.FromSeconds(5) });
        ExpectTransition(null, WorkerSlotState.Adopting);

        Advance(slot, TimeSpan.FromSeconds(5));
        ExpectConfiguration<AdoptionOver>();
        ExpectTransition(WorkerSlotState.Adopting, WorkerSlotState.Starting);
        ExpectLaunch(Second); // the first slot's socket may belong to a live worker that has not answered yet
    }

    [Fact]
    public void A_stop_while_adopting_is_answered_at_once()
    {
        SocketFile(First);
        var slot = StartSlot(Settings() with { SocketDirectory = _directory });
        ExpectTransition(null, WorkerSlotState.Adopting);

        slot.Tell(new StopSlot(Hard: false));
        ExpectConfiguration<SlotsStopped>();
        ExpectTransition(WorkerSlotState.Adopting, WorkerSlotState.Stopped);
        Advance(slot, TimeSpan.FromSeconds(10));
        ExpectNothingMore(slot, Processes);
    }

    [Fact]
    public void A_late_hello_after_the_probe_deadline_is_adopted_and_the_process_started_instead_is_killed()
    {
        SocketFile(First);
        var slot = StartSlot(Settings() with { SocketDirectory = _directory });
        ExpectTransition(null, WorkerSlotState.Adopting);
        Advance(slot, TimeSpan.FromSeconds(5));
        ExpectTransition(WorkerSlotState.Adopting, WorkerSlotState.Starting);
        var started = ExpectLaunch(Second);

        // The previous supervisor's worker answers late (a loaded machine): it serves already.
        var pid = Launcher.Foreign();
        Hello(slot, pid);
        ExpectTransition(WorkerSlotState.Starting, WorkerSlotState.Serving);
        ExpectKill(started.Process);
        Assert.Equal(pid, Processes.ExpectMsg<Adopted>().Process.Pid);

        // The killed process's exit is not a death of the slot's worker.
        ExpectNothingMore(slot, Restarts, Crashes, Transitions);
    }

    [Fact]
    public void A_late_hello_while_the_slot_has_a_worker_is_told_to_stop_softly_at_every_hello()
    {
        var (slot, process, _) = StartServing(Settings());
        var pid = Launcher.Foreign();
        var late = CreateTestProbe();

        slot.Tell(new WorkerHello(0, pid, late.Ref, Serving: true), late.Ref);
        var stop = late.ExpectMsg<StopWorker>();
        Assert.Equal((false, false), (stop.Hard, stop.RefuseNew)); // it drains; the shared sockets stay with the worker that serves
        slot.Tell(new WorkerHello(0, pid, late.Ref, Serving: true), late.Ref);
        Assert.False(late.ExpectMsg<StopWorker>().Hard);

        ExpectNothingMore(slot, late, Transitions, Processes);
        // Its own worker serves on: its exit is still the slot's worker's death.
        Launcher.Exit(process, 3);
        Crashes.ExpectMsg<Sozu.Messages.Events.Event>();
    }

    [Fact]
    public void A_hello_from_a_dead_pid_or_for_another_worker_changes_nothing()
    {
        var slot = StartSlot(Settings());
        ExpectConfiguration<SlotStarted>();
        ExpectTransition(null, WorkerSlotState.Starting);
        var started = ExpectLaunch(First);
        var stranger = CreateTestProbe();

        // A pid that is not alive.
        slot.Tell(new WorkerHello(0, 99_999_999, stranger.Ref, Serving: true), stranger.Ref);
        // Another worker id.
        slot.Tell(new WorkerHello(7, Launcher.Foreign(), stranger.Ref, Serving: true), stranger.Ref);

        ExpectNothingMore(slot, stranger, Transitions, Processes, Configuration);
        // The started process is still the one expected.
        Hello(slot, started.Process.Pid);
        ExpectTransition(WorkerSlotState.Starting, WorkerSlotState.Serving);
    }

    [Fact]
    public void No_hello_in_time_kills_the_started_process_and_counts_a_crash()
    {
        var slot = StartSlot(Settings());
        ExpectTransition(null, WorkerSlotState.Starting);
        var started = ExpectLaunch(First);

        Advance(slot, TimeSpan.FromSeconds(15));
        ExpectKill(started.Process);
        var restart = Restarts.ExpectMsg<RestartScheduled>();
        Assert.Equal((1, MinBackoff), (restart.CrashesInARow, restart.Delay));
        ExpectTransition(WorkerSlotState.Starting, WorkerSlotState.Vacant);

        Advance(slot, MinBackoff);
        ExpectTransition(WorkerSlotState.Vacant, WorkerSlotState.Starting);
        ExpectLaunch(First);
    }

    [Fact]
    public void A_command_that_cannot_be_started_is_backed_off_through_the_timer()
    {
        Launcher.StartsFail = true;
        var slot = StartSlot(Settings());
        ExpectTransition(null, WorkerSlotState.Vacant);
        Assert.Equal((1, MinBackoff), Restart());

        Advance(slot, MinBackoff);
        Assert.Equal((2, MinBackoff * 2), Restart());
        Launcher.StartsFail = false;
        Advance(slot, MinBackoff * 2);
        ExpectTransition(WorkerSlotState.Vacant, WorkerSlotState.Starting);
        ExpectLaunch(First);
    }

    [Fact]
    public void A_hello_during_the_back_off_adopts_that_worker_and_cancels_the_restart()
    {
        Launcher.StartsFail = true;
        var slot = StartSlot(Settings());
        ExpectTransition(null, WorkerSlotState.Vacant);
        Launcher.StartsFail = false;

        var pid = Launcher.Foreign();
        Hello(slot, pid);
        ExpectTransition(WorkerSlotState.Vacant, WorkerSlotState.Serving);
        Assert.Equal(pid, Processes.ExpectMsg<Adopted>().Process.Pid);

        Advance(slot, MaxBackoff);
        ExpectNothingMore(slot, Processes, Transitions);
    }

    private (int, TimeSpan) Restart()
    {
        var restart = Restarts.ExpectMsg<RestartScheduled>();
        return (restart.CrashesInARow, restart.Delay);
    }
}
