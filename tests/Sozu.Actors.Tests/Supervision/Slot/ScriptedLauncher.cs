using System.Collections.Concurrent;
using Akka.Actor;
using Sozu.Actors.Supervision;

namespace Sozu.Actors.Tests.Supervision.Slot;

/// <summary>Launcher → test: a process was started for <paramref name="Slot"/>.</summary>
public sealed record Launched(WorkerProcess Process, int Slot, bool Standby);

/// <summary>Launcher → test: the slot adopted <paramref name="Process"/>.</summary>
public sealed record Adopted(WorkerProcess Process);

/// <summary>Launcher → test: the slot killed <paramref name="Process"/>.</summary>
public sealed record Killed(WorkerProcess Process);

/// <summary>
/// The slot's processes, played by the test: every start, adoption and kill is reported to
/// <see cref="Reports"/>, and an exit happens when the test says so (<see cref="Exit"/>), or right
/// after a kill (as SIGKILL does) unless <see cref="KillsExit"/> is off. Pids are made up and
/// alive until they exit; <see cref="IsAlive"/> answers from that.
/// </summary>
public sealed class ScriptedLauncher(IActorRef reports) : IWorkerProcessLauncher
{
    private readonly ConcurrentDictionary<int, IActorRef> _alive = new();
    private int _nextPid = 40_000;

    public IActorRef Reports { get; } = reports;

    private volatile bool _startsFail;
    private volatile bool _killsExit = true;

    /// <summary>Starts throw while true (a missing executable).</summary>
    public bool StartsFail
    {
        get => _startsFail;
        set => _startsFail = value;
    }

    /// <summary>A kill ends the process at once (exit code 137), as SIGKILL does.</summary>
    public bool KillsExit
    {
        get => _killsExit;
        set => _killsExit = value;
    }

    public WorkerProcess Start(int slot, bool standby, IActorRef exits)
    {
        if (StartsFail)
        {
            throw new InvalidOperationException("no such executable (test)");
        }
        var process = new WorkerProcess(Interlocked.Increment(ref _nextPid), WorkerProcessOrigin.Started);
        _alive[process.Pid] = exits;
        Reports.Tell(new Launched(process, slot, standby));
        return process;
    }

    public WorkerProcess Adopt(int pid, IActorRef exits)
    {
        var process = new WorkerProcess(pid, WorkerProcessOrigin.Adopted);
        _alive[pid] = exits;
        Reports.Tell(new Adopted(process));
        return process;
    }

    public void Kill(WorkerProcess process)
    {
        Reports.Tell(new Killed(process));
        if (KillsExit)
        {
            Exit(process, process.Origin == WorkerProcessOrigin.Started ? 137 : null);
        }
    }

    public bool IsAlive(int pid) => _alive.ContainsKey(pid);

    /// <summary>A live process of another supervisor (a worker to adopt), by its pid.</summary>
    public int Foreign()
    {
        var pid = Interlocked.Increment(ref _nextPid);
        _alive[pid] = ActorRefs.Nobody;
        return pid;
    }

    /// <summary>The process ends: its slot hears it as from Process.Exited or a pidfd.</summary>
    public void Exit(WorkerProcess process, int? code)
    {
        if (_alive.TryRemove(process.Pid, out var exits) && !exits.IsNobody())
        {
            exits.Tell(new WorkerProcessExited(process, code));
        }
    }
}
