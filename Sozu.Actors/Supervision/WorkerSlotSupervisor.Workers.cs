using Akka.Actor;
using Akka.Event;
using Sozu.Actors.Configuration;
using Sozu.Actors.Remoting;
using Sozu.Actors.Workers;
using Sozu.Messages.Answers;
using Sozu.Messages.Events;

namespace Sozu.Actors.Supervision;

/// <summary>
/// What the states of <see cref="WorkerSlotSupervisor"/> share: registering a worker, adopting
/// one, a death and its replacement, judging a hello the slot did not expect, and the worker
/// the slot answers for.
/// </summary>
public sealed partial class WorkerSlotSupervisor
{
    // ==== registering, adopting, dying ====

    private void Register(SlotWorker worker, IActorRef actor)
    {
        worker.Actor = actor;
        Context.Watch(actor);
        actor.Tell(new WorkerWelcome(Id));
        _lastPong = _clock.GetTimestamp();
        Timers.StartPeriodicTimer(PingTick.Key, PingTick.Instance, _settings.PingInterval);
        _settings.Configuration?.Tell(new WorkerJoined(Id, worker.Process.Pid, actor));
    }

    /// <summary>A live worker another supervisor started becomes the slot's worker; its exit is seen through a pidfd.</summary>
    private void Adopt(WorkerHello hello)
    {
        Timers.Cancel(AdoptTimedOut.Key);
        Timers.Cancel(RestartDue.Key);
        // Its slot is its address's port: the next standby or restart takes the other one.
        if (hello.Worker.Path.Address.Port is int port)
        {
            _slot = port;
        }
        var adopted = new SlotWorker(_launcher.Adopt(hello.Pid, Self), _slot, _clock.GetTimestamp());
        _current = adopted;
        Register(adopted, hello.Worker);
        Enter(WorkerSlotState.Serving, Serving);
    }

    private void WorkerDied(WorkerProcessExited exited)
    {
        var dead = _current!;
        _current = null;
        Timers.Cancel(PingTick.Key);
        Timers.Cancel(HelloTimedOut.Key);
        Forget(dead);
        // One line per death, at WARN: the replacement follows on its own.
        _log.Warning("worker {0} (pid {1}, slot {2}) died: {3}", Id, dead.Process.Pid, dead.Slot, DeathReason(dead, exited));
        Context.System.EventStream.Publish(new Event(EventKind.WorkerCrashed, WorkerId: Id));
        Replace(dead);
    }

    /// <summary>After a death: the standby takes over, or a restart after the back-off, or nothing (automatic restart off).</summary>
    private void Replace(SlotWorker dead)
    {
        if (!_settings.AutomaticRestart)
        {
            _log.Warning("worker {0}: automatic restart is off, the slot stays empty", Id);
            StopStandby();
            Enter(WorkerSlotState.Vacant, Vacant);
            return;
        }
        var step = _backoff.AfterDeath(_crashesInARow, _clock.GetElapsedTime(dead.StartedAt), dead.Ready, Random.Shared.NextDouble());
        _crashesInARow = step.CrashesInARow;
        if (_standby is not null)
        {
            PromoteStandby(step);
            return;
        }
        ScheduleRestart(step, throughTimer: false);
    }

    private void ScheduleRestart(CrashBackoffStep step, bool throughTimer)
    {
        _log.Info("worker {0}: restarting in {1:0} ms (crash {2} in a row)", Id, step.Delay.TotalMilliseconds, step.CrashesInARow);
        Context.System.EventStream.Publish(new RestartScheduled(Id, step.CrashesInARow, step.Delay));
        if (step.Delay == TimeSpan.Zero && !throughTimer)
        {
            StartWorker();
            return;
        }
        Timers.StartSingleTimer(RestartDue.Key, RestartDue.Instance, step.Delay);
        Enter(WorkerSlotState.Vacant, Vacant);
    }

    /// <summary>SIGKILL, remembering why for the death's log line; its exit follows as for any other.</summary>
    private void Kill(SlotWorker worker, string why)
    {
        _log.Info("worker {0}: killing process {1}: {2}", Id, worker.Process.Pid, why);
        worker.EndReason ??= why;
        _launcher.Kill(worker.Process);
    }

    /// <summary>The slot no longer answers for this worker: unwatched, the configuration actor told, the handle released.</summary>
    private void Forget(SlotWorker worker)
    {
        if (worker.Actor is { } actor)
        {
            Context.Unwatch(actor);
            _settings.Configuration?.Tell(new WorkerLeft(Id, actor));
        }
        worker.Process.Dispose();
    }

    // ==== hellos the slot did not expect ====

    private bool IsForeign(WorkerHello hello)
    {
        if (hello.WorkerId == Id)
        {
            return false;
        }
        _log.Warning("slot {0}: ignoring a hello from worker {1}", Id, hello.WorkerId);
        return true;
    }

    /// <summary>
    /// A hello from a worker other than the one this slot expects (typically a worker of the
    /// previous supervisor that answered the probe late, on a loaded machine, or an orphan that
    /// kept saying hello) counts only when its process is alive and belongs to this product.
    /// Then it is never ignored: the state adopts it or tells it to stop softly.
    /// </summary>
    private bool MayJoin(WorkerHello hello)
    {
        if (!_launcher.IsAlive(hello.Pid))
        {
            _log.Debug("slot {0}: hello from pid {1}, which is no longer alive; nothing to adopt", Id, hello.Pid);
            return false;
        }
        if (!IsOurs(hello.Worker))
        {
            _log.Warning("slot {0}: hello from pid {1} at {2}, outside this product's socket directory; ignored", Id, hello.Pid, hello.Worker.Path.Address);
            return false;
        }
        return true;
    }

    /// <summary>
    /// A worker of this product: an actor of our own system, or a remote one whose address is a
    /// worker slot with its socket file in our socket directory (only our user can create one there).
    /// </summary>
    private bool IsOurs(IActorRef worker)
    {
        var address = worker.Path.Address;
        if (address.Host is null)
        {
            return true; // local to this system
        }
        if (address.System != _settings.SystemName || address.Port is not int port)
        {
            return false;
        }
        return _settings.SocketDirectory is not { } directory
            || File.Exists(SocketDirectory.SocketPath(directory, "worker", port));
    }

    /// <summary>
    /// Told again at each hello it repeats (they come at most every few seconds): a lost stop must
    /// not leave it serving. Its drain ends at its soft_stop_timeout at the latest.
    /// </summary>
    private void TellToStopSoftly(WorkerHello hello, bool refuseNew)
    {
        if (_toldToStop.Add(hello.Pid))
        {
            _log.Warning("slot {0}: late hello from live worker pid {1} while {2}; telling it to stop softly",
                Id, hello.Pid, _current is { } current ? $"pid {current.Process.Pid} serves" : "the slot is stopped");
        }
        hello.Worker.Tell(new StopWorker(Hard: false, RefuseNew: refuseNew));
    }

    // ==== helpers ====

    private void Fail(UpgradeSlot upgrade, string message) =>
        Reply(upgrade, Answer.Error(upgrade.Id, $"upgrade of worker {Id}: {message}"));

    private void Reply(UpgradeSlot upgrade, Answer answer)
    {
        if (_settings.Configuration is { } configuration)
        {
            configuration.Tell(new UpgradeDone(upgrade.ReplyTo, answer));
        }
        else
        {
            upgrade.ReplyTo.Tell(answer);
        }
    }

    private static int OtherSlot(int slot) => slot >= 30000 ? slot - 30000 : slot + 30000;

    private static string DeathReason(SlotWorker worker, WorkerProcessExited exited) =>
        worker.EndReason is { } why ? $"{ExitReason(exited)}, killed by its slot: {why}" : ExitReason(exited);

    /// <summary>.NET reports a death by signal N as exit code 128 + N (as a shell does).</summary>
    private static string ExitReason(WorkerProcessExited exited) => exited.ExitCode switch
    {
        null => "its process exited (seen by pidfd)",
        > 128 and < 160 and var code => $"killed by signal {code - 128} (exit code {code})",
        var code => $"its process exited with code {code}",
    };

    /// <summary>One worker process of the slot and what the slot knows of it.</summary>
    private sealed class SlotWorker(WorkerProcess process, int slot, long startedAt)
    {
        public WorkerProcess Process { get; } = process;

        /// <summary>Its Akka slot (port).</summary>
        public int Slot { get; } = slot;

        /// <summary>When it started (or was adopted, or promoted), on the slot's clock.</summary>
        public long StartedAt { get; } = startedAt;

        /// <summary>Its WorkerActor, once it said hello; null before.</summary>
        public IActorRef? Actor { get; set; }

        /// <summary>In sync with the configuration and serving (the configuration actor said so).</summary>
        public bool Ready { get; set; }

        /// <summary>Why the slot killed it, for the line its death logs; null when it died by itself.</summary>
        public string? EndReason { get; set; }
    }
}
