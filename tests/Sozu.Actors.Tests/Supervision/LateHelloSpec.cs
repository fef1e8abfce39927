using System.Diagnostics;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Sozu.Actors.Hocon;
using Sozu.Actors.Remoting;
using Sozu.Actors.Supervision;
using Sozu.Actors.Workers;

namespace Sozu.Actors.Tests.Supervision;

/// <summary>
/// A hello from a live worker the slot did not expect (a previous supervisor's worker answering
/// after the adoption probe gave up, on a loaded machine) is never ignored: adopted when the slot
/// has no registered worker, else told to stop softly. The slot's own process is a real
/// `sleep` (it never says hello); the late worker is a test probe speaking for a live pid (this
/// test process).
/// </summary>
public sealed class LateHelloSpec : TestKit
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static WorkerCommand Sleeper() => new("/bin/sh", ["-c", "exec sleep 30"]);

    private static bool Alive(int pid) => Directory.Exists("/proc/" + pid.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static void KillIfAlive(int pid)
    {
        // Only the slot's own `sleep`, started by this test, by its pid.
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (ArgumentException)
        {
            // already gone
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    [Fact]
    public void A_late_hello_from_a_live_worker_after_the_probe_deadline_is_adopted_when_the_slot_has_no_worker()
    {
        var directory = Directory.CreateTempSubdirectory("sozu-late-").FullName;
        try
        {
            // A socket file on the worker's slot makes the slot probe it first; nobody answers.
            File.WriteAllBytes(SocketDirectory.SocketPath(directory, "worker", SozuHocon.WorkerSlot(0)), []);
            var configuration = CreateTestProbe();
            var slot = ActorOfAsTestActorRef<WorkerSlotSupervisor>(WorkerSlotSupervisor.Props(new WorkerSlotSettings(0, Sleeper())
            {
                Configuration = configuration.Ref,
                SocketDirectory = directory,
                AdoptTimeout = TimeSpan.FromMilliseconds(200),
                HelloTimeout = TimeSpan.FromMinutes(1),
            }));
            configuration.ExpectMsg<SlotStarted>(Patience);
            // list_workers waits while the slot probes, until the probe's deadline at most.
            configuration.ExpectMsg<SlotAdopting>(Patience);
            configuration.ExpectMsg<AdoptionOver>(Patience);

            // The probe gave up: the slot started its own process, which has not said hello.
            AwaitCondition(() => slot.UnderlyingActor.CurrentPid != 0, Patience);
            var started = slot.UnderlyingActor.CurrentPid;
            try
            {
                var late = CreateTestProbe();
                slot.Tell(new WorkerHello(0, Environment.ProcessId, late.Ref, Serving: true), late.Ref);

                late.ExpectMsg<WorkerWelcome>(w => Assert.Equal(0, w.WorkerId), Patience);
                var joined = configuration.ExpectMsg<WorkerJoined>(Patience);
                Assert.Equal((Environment.ProcessId, late.Ref), (joined.Pid, joined.Worker));
                Assert.Equal(Environment.ProcessId, slot.UnderlyingActor.CurrentPid);
                // The process it had started instead is ended: one worker per slot.
                AwaitCondition(() => !Alive(started), Patience);
            }
            finally
            {
                Sys.Stop(slot);
                KillIfAlive(started);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_late_hello_from_a_live_worker_is_told_to_stop_softly_when_the_slot_already_has_one()
    {
        var configuration = CreateTestProbe();
        var slot = ActorOfAsTestActorRef<WorkerSlotSupervisor>(WorkerSlotSupervisor.Props(new WorkerSlotSettings(1, Sleeper())
        {
            Configuration = configuration.Ref,
            HelloTimeout = TimeSpan.FromMinutes(1),
        }));
        AwaitCondition(() => slot.UnderlyingActor.CurrentPid != 0, Patience);
        var started = slot.UnderlyingActor.CurrentPid;
        try
        {
            // The slot's own process registers first.
            var current = CreateTestProbe();
            slot.Tell(new WorkerHello(1, started, current.Ref, Serving: false), current.Ref);
            current.ExpectMsg<WorkerWelcome>(Patience);

            var late = CreateTestProbe();
            slot.Tell(new WorkerHello(1, Environment.ProcessId, late.Ref, Serving: true), late.Ref);

            var stop = late.ExpectMsg<StopWorker>(Patience);
            Assert.False(stop.Hard); // it drains what it serves, then exits
            Assert.False(stop.RefuseNew); // the shared sockets stay open for the worker that serves
            late.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // not welcomed
            // It says hello again until it exits: it is told again, never adopted meanwhile.
            slot.Tell(new WorkerHello(1, Environment.ProcessId, late.Ref, Serving: true), late.Ref);
            Assert.False(late.ExpectMsg<StopWorker>(Patience).Hard);
            Assert.Equal(started, slot.UnderlyingActor.CurrentPid);
            Assert.True(Alive(started));
        }
        finally
        {
            Sys.Stop(slot);
            KillIfAlive(started);
        }
    }

    [Fact]
    public void A_hello_in_the_name_of_a_dead_pid_is_not_adopted()
    {
        using var gone = Process.Start("/bin/true")!;
        gone.WaitForExit();
        var slot = ActorOfAsTestActorRef<WorkerSlotSupervisor>(WorkerSlotSupervisor.Props(new WorkerSlotSettings(2, Sleeper())
        {
            HelloTimeout = TimeSpan.FromMinutes(1),
        }));
        AwaitCondition(() => slot.UnderlyingActor.CurrentPid != 0, Patience);
        var started = slot.UnderlyingActor.CurrentPid;
        try
        {
            var late = CreateTestProbe();
            slot.Tell(new WorkerHello(2, gone.Id, late.Ref, Serving: true), late.Ref);

            late.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
            Assert.Equal(started, slot.UnderlyingActor.CurrentPid);
            Assert.True(Alive(started));
        }
        finally
        {
            Sys.Stop(slot);
            KillIfAlive(started);
        }
    }
}
