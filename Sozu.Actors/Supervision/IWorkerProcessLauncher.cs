using Akka.Actor;

namespace Sozu.Actors.Supervision;

/// <summary>
/// Every side effect a slot has on operating-system processes, so that TestKit specs drive
/// each transition of <see cref="WorkerSlotSupervisor"/> without real processes. Calls are
/// made on the slot's actor thread and must not block: an exit is told later, to the
/// <c>exits</c> actor, as <see cref="WorkerProcessExited"/>.
/// </summary>
public interface IWorkerProcessLauncher
{
    /// <summary>Starts a worker for Akka slot <paramref name="slot"/> (a standby: booted, listeners inactive). Throws when it cannot be started.</summary>
    WorkerProcess Start(int slot, bool standby, IActorRef exits);

    /// <summary>Answers from now on for live worker <paramref name="pid"/>, started by a previous supervisor.</summary>
    WorkerProcess Adopt(int pid, IActorRef exits);

    /// <summary>SIGKILL; nothing when it has already exited. Its exit is told as for any other.</summary>
    void Kill(WorkerProcess process);

    /// <summary>Whether <paramref name="pid"/> is a live process (a hello may name one that is gone).</summary>
    bool IsAlive(int pid);
}
