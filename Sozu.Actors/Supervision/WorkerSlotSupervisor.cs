using System.Globalization;
using Akka.Actor;
using Akka.Event;
using Sozu.Actors.Configuration;
using Sozu.Actors.Hocon;
using Sozu.Actors.Remoting;
using Sozu.Actors.Workers;
using Sozu.Messages.Answers;
using Sozu.Messages.Events;

namespace Sozu.Actors.Supervision;

/// <summary>
/// Keeps one worker slot filled with a live worker process, as a state machine
/// (<see cref="WorkerSlotState"/>; each state's handlers are in one method below):
///
/// <code>
/// state       on                                        goes to
/// (start)     a socket file on one of the slot's slots  Adopting        (Identify sent)
///             else                                      Starting        (process started)
/// Adopting    hello from a live worker of ours          Serving         (adopted)
///             probe deadline (adopt-timeout)            Starting
///             StopSlot                                  Stopped
/// Starting    hello from the started pid                Serving
///             hello from another live worker of ours    Serving         (it is adopted, ours killed)
///             exit, or no hello in time (killed)        Starting | Vacant   (back-off)
///             StopSlot                                  Stopping        (ours killed)
/// Vacant      back-off over                             Starting
///             hello from a live worker of ours          Serving         (adopted)
///             StopSlot                                  Stopped
/// Serving     death (exit, pidfd, DeathWatch, wedge)    Starting        (standby promoted, or at once after a worker that served)
///                                                       Vacant          (back-off; none when automatic restart is off)
///             hello from another live worker            Serving         (it is told to stop softly)
///             UpgradeSlot                               Upgrading
///             StopSlot                                  Stopping
/// Upgrading   the new worker ready                      Serving         (then the old one is told to stop softly)
///             the new one dies, the old one lives       Serving         (the old one; the upgrade failed)
///             the new one dies, the old one is gone     Starting | Vacant
///             the old one dies                          Upgrading       (the new one takes over when ready)
///             StopSlot                                  Stopping        (the upgrade failed)
/// Stopping    the worker's exit                         Stopped         (killed past the grace)
/// Stopped     hello from a live worker                  Stopped         (it is told to stop softly)
/// </code>
///
/// Crash signals, fastest first: the process's exit (Process.Exited for a child, a pidfd for an
/// adopted worker: milliseconds), DeathWatch on the worker's remote actor (about 2 s), and a
/// ping answered from the worker's loop thread (a wedged loop is killed after
/// <see cref="WorkerSlotSettings.PingTimeout"/>). A dead worker is replaced by its standby when
/// there is one (a booted, synced process whose listeners are inactive, see the Standby part),
/// else restarted after the <see cref="CrashBackoff"/>.
///
/// Re-adoption: at start, when one of the worker's socket files exists, the slot first asks that
/// address whether a worker lives there. A worker that lost its supervisor also keeps saying
/// hello. A hello the slot did not expect is never ignored while its process lives and belongs to
/// this product: adopted when the slot has no registered worker, else told to stop softly.
/// Every process side effect goes through <see cref="IWorkerProcessLauncher"/>; nothing here blocks.
/// </summary>
public sealed partial class WorkerSlotSupervisor : ReceiveActor, IWithTimers, IWithUnboundedStash
{
    /// <summary>The WorkerActor's name under /user in a worker's system.</summary>
    public const string WorkerActorName = "worker";

    /// <summary>The parent of every slot under /user in the supervisor's system.</summary>
    public const string PoolName = "workers";

    private readonly WorkerSlotSettings _settings;
    private readonly IWorkerProcessLauncher _launcher;
    private readonly TimeProvider _clock;
    private readonly CrashBackoff _backoff;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    // The Akka slot (port) of the worker; its standby and an upgrade's new process take the other one.
    private int _slot;

    // The slot's worker: started or promoted (Starting), registered (Serving), or the new one of an upgrade.
    private SlotWorker? _current;

    // The old worker of an upgrade, from the upgrade's start until its process has exited.
    private SlotWorker? _retiring;

    private int _crashesInARow;
    private bool _entered; // a first state was entered
    private bool _hadWorker; // a worker was ready before: the next one ready is a restart
    private long _lastPong;
    private long _pingSequence;

    // Late workers told to stop softly, so the warning is logged once per process.
    private readonly HashSet<int> _toldToStop = [];

    public WorkerSlotSupervisor(WorkerSlotSettings settings, IWorkerProcessLauncher launcher, TimeProvider clock)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _launcher = launcher ?? throw new ArgumentNullException(nameof(launcher));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _backoff = CrashBackoff.From(settings);
        _slot = SozuHocon.WorkerSlot(settings.WorkerId);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    public WorkerSlotState State { get; private set; }

    /// <summary>The pid of the slot's worker process (started, promoted or adopted); 0 when none.</summary>
    public int CurrentPid => _current?.Process.Pid ?? 0;

    private int Id => _settings.WorkerId;

    public static Props Props(WorkerSlotSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Props(settings, new WorkerProcessLauncher(settings.Command), TimeProvider.System);
    }

    /// <summary>A slot whose processes are started, adopted and killed by <paramref name="launcher"/>; <paramref name="clock"/> measures how long a worker lived.</summary>
    public static Props Props(WorkerSlotSettings settings, IWorkerProcessLauncher launcher, TimeProvider clock) =>
        Akka.Actor.Props.Create(() => new WorkerSlotSupervisor(settings, launcher, clock));

    public static string SlotName(int workerId) => "worker-" + workerId.ToString(CultureInfo.InvariantCulture);

    /// <summary>Where a worker finds its slot supervisor, over the Unix-domain transport.</summary>
    public static string RemotePath(string systemName, int workerId) =>
        $"akka.unix://{systemName}@supervisor:{SozuHocon.SupervisorSlot}/user/{PoolName}/{SlotName(workerId)}";

    protected override void PreStart()
    {
        _settings.Configuration?.Tell(new SlotStarted(Id));
        if (ProbeForLiveWorkers())
        {
            _settings.Configuration?.Tell(new SlotAdopting(Id));
            Enter(WorkerSlotState.Adopting, Adopting);
            return;
        }
        StartWorker();
    }

    protected override void PostStop()
    {
        // Only our handles go: the workers keep serving and wait for a new supervisor (SPEC §6);
        // a standby exits by itself once it sees this supervisor gone.
        _current?.Process.Dispose();
        _retiring?.Process.Dispose();
        _standby?.Process.Dispose();
        base.PostStop();
    }

    // ==== Adopting: is a worker of a previous supervisor alive on our slots? ====

    private void Adopting()
    {
        Receive<WorkerHello>(hello =>
        {
            if (!IsForeign(hello) && MayJoin(hello))
            {
                Adopt(hello);
            }
        });
        Receive<AdoptTimedOut>(_ =>
        {
            _settings.Configuration?.Tell(new AdoptionOver(Id));
            // The probed slot's socket may belong to a live worker that has not answered yet (a
            // loaded or stopped process): start ours on the other slot if that one is free, so it
            // does not fail to bind; the late worker's hello is handled then (adopted or stopped).
            if (_settings.SocketDirectory is { } directory
                && File.Exists(SocketDirectory.SocketPath(directory, "worker", _slot))
                && !File.Exists(SocketDirectory.SocketPath(directory, "worker", OtherSlot(_slot))))
            {
                _slot = OtherSlot(_slot);
            }
            StartWorker();
        });
        Receive<StopSlot>(_ =>
        {
            _settings.Configuration?.Tell(new AdoptionOver(Id));
            StopEmptySlot();
        });
        Receive<UpgradeSlot>(upgrade => Fail(upgrade, "the worker is not running"));
        Always();
    }

    /// <summary>Identify on both of the worker's slots that have a socket file; true when one has.</summary>
    private bool ProbeForLiveWorkers()
    {
        if (_settings.SocketDirectory is not { } directory)
        {
            return false;
        }
        var found = false;
        foreach (var slot in new[] { SozuHocon.WorkerSlot(Id), WorkerCommand.AlternateSlot(Id) })
        {
            if (File.Exists(SocketDirectory.SocketPath(directory, "worker", slot)))
            {
                found = true;
                var path = $"akka.unix://{_settings.SystemName}@worker:{slot}/user/{WorkerActorName}";
                Context.ActorSelection(path).Tell(new Identify(slot));
            }
        }
        if (found)
        {
            Timers.StartSingleTimer(AdoptTimedOut.Key, AdoptTimedOut.Instance, _settings.AdoptTimeout);
        }
        return found;
    }

    /// <summary>
    /// Something answered the probe: welcomed, in any state. A worker replies with a hello, which
    /// the state then judges (adopted, or told to stop); a previous supervisor's standby exits on a
    /// welcome it did not ask for, which frees the slot it held.
    /// </summary>
    private void OnProbeAnswer(ActorIdentity identity)
    {
        if (identity.Subject is not { } answered || answered.Equals(_current?.Actor) || answered.Equals(_retiring?.Actor))
        {
            return;
        }
        if (State == WorkerSlotState.Adopting && identity.MessageId is int slot)
        {
            _log.Info("worker {0}: found alive on slot {1}, adopting it", Id, slot);
            _slot = slot;
        }
        answered.Tell(new WorkerWelcome(Id));
    }

    // ==== Starting: a process started or a standby promoted, no hello yet ====

    private void Starting()
    {
        Receive<WorkerHello>(OnHelloWhileStarting);
        Receive<StandbyHello>(hello =>
        {
            if (hello.WorkerId == Id && hello.Pid == _current!.Process.Pid)
            {
                hello.Worker.Tell(new ActivateStandby(Id)); // promoted before it had said hello: tell it now
            }
        });
        Receive<HelloTimedOut>(timeout =>
        {
            if (timeout.Pid == _current!.Process.Pid)
            {
                Kill(_current, $"it did not say hello within {_settings.HelloTimeout.TotalSeconds:0} s");
            }
        });
        Receive<WorkerProcessExited>(exited => exited.Process == _current!.Process, exited => WorkerDied(exited));
        Receive<RestartWorker>(restart => Kill(_current!, "restart asked: " + restart.Reason));
        Receive<StopSlot>(BeginStop);
        Receive<UpgradeSlot>(upgrade => Fail(upgrade, "the worker is not running"));
        Always();
    }

    private void OnHelloWhileStarting(WorkerHello hello)
    {
        if (IsForeign(hello))
        {
            return;
        }
        var started = _current!;
        if (hello.Pid == started.Process.Pid)
        {
            Timers.Cancel(HelloTimedOut.Key);
            Register(started, hello.Worker);
            Enter(WorkerSlotState.Serving, Serving);
            return;
        }
        if (!MayJoin(hello))
        {
            return;
        }
        // A live worker that already serves beats a process still booting: adopt it, end ours
        // (its exit is then a process we no longer answer for).
        _log.Warning("slot {0}: late hello from live worker pid {1}; adopting it and ending process {2}, which had not said hello yet",
            Id, hello.Pid, started.Process.Pid);
        Timers.Cancel(HelloTimedOut.Key);
        _current = null;
        _launcher.Kill(started.Process);
        Adopt(hello);
    }

    private void StartWorker()
    {
        WorkerProcess process;
        try
        {
            process = _launcher.Start(_slot, standby: false, Self);
        }
#pragma warning disable CA1031 // a worker that cannot be started is a crash like any other: backed off
        catch (Exception e)
#pragma warning restore CA1031
        {
            _log.Error(e, "worker {0}: cannot start a process on slot {1}", Id, _slot);
            if (!_settings.AutomaticRestart)
            {
                Enter(WorkerSlotState.Vacant, Vacant);
                return;
            }
            // A start that fails counts as a life of zero; always through the timer, so that a
            // zero back-off cannot turn a missing executable into a loop on this thread.
            var step = _backoff.AfterDeath(_crashesInARow, TimeSpan.Zero, served: false, Random.Shared.NextDouble());
            _crashesInARow = step.CrashesInARow;
            ScheduleRestart(step, throughTimer: true);
            return;
        }
        _current = new SlotWorker(process, _slot, _clock.GetTimestamp());
        _log.Info("worker {0}: started process {1} on slot {2}", Id, process.Pid, _slot);
        Timers.StartSingleTimer(HelloTimedOut.Key, new HelloTimedOut(process.Pid), _settings.HelloTimeout);
        Enter(WorkerSlotState.Starting, Starting);
    }

    // ==== Vacant: no worker; a restart due after the back-off, or none ====

    private void Vacant()
    {
        Receive<RestartDue>(_ => StartWorker());
        Receive<WorkerHello>(hello =>
        {
            if (!IsForeign(hello) && MayJoin(hello))
            {
                _log.Info("worker {0}: hello from live worker pid {1} while the slot is empty; adopting it", Id, hello.Pid);
                Adopt(hello);
            }
        });
        Receive<StopSlot>(_ => StopEmptySlot());
        Receive<UpgradeSlot>(upgrade => Fail(upgrade, "the worker is not running"));
        Always();
    }

    // ==== Serving: a registered worker (being synced, or ready), maybe a standby behind it ====

    private void Serving()
    {
        Receive<WorkerHello>(OnHelloWhileServing);
        Receive<WorkerPong>(_ => _lastPong = _clock.GetTimestamp());
        Receive<PingTick>(_ => PingOrKill(_current!));
        Receive<WorkerReady>(OnReady);
        Receive<WorkerProcessExited>(exited => exited.Process == _current!.Process, exited => WorkerDied(exited));
        Receive<WorkerProcessExited>(exited => exited.Process == _retiring?.Process, RetiredExited);
        Receive<WorkerProcessExited>(exited => exited.Process == _standby?.Process, StandbyExited);
        // DeathWatch fired before the exit (a hung or partitioned system): make sure the process is gone.
        Receive<Terminated>(t => t.ActorRef.Equals(_current!.Actor), _ => Kill(_current!, "it stopped answering (DeathWatch)"));
        Receive<RetireTimedOut>(_ =>
        {
            if (_retiring is { } old)
            {
                _log.Warning("worker {0}: the upgrade's old process {1} has not exited {2:0} s after its soft stop; killing it",
                    Id, old.Process.Pid, _settings.SoftStopGrace.TotalSeconds);
                _launcher.Kill(old.Process);
            }
        });
        Receive<RestartWorker>(restart => Kill(_current!, "restart asked: " + restart.Reason));
        Receive<UpgradeSlot>(BeginUpgrade);
        Receive<StopSlot>(BeginStop);
        StandbyHandlers();
        Always();
    }

    private void OnHelloWhileServing(WorkerHello hello)
    {
        if (IsForeign(hello))
        {
            return;
        }
        var current = _current!;
        if (hello.Worker.Equals(current.Actor) || hello.Pid == current.Process.Pid)
        {
            hello.Worker.Tell(new WorkerWelcome(Id)); // it did not hear the first welcome
            return;
        }
        if (MayJoin(hello))
        {
            TellToStopSoftly(hello, refuseNew: false);
        }
    }

    private void OnReady(WorkerReady ready)
    {
        var current = _current!;
        if (!ready.Worker.Equals(current.Actor) || current.Ready)
        {
            return;
        }
        _log.Info("worker {0} (pid {1}) is ready", Id, current.Process.Pid);
        current.Ready = true;
        if (_hadWorker)
        {
            Context.System.EventStream.Publish(new Event(EventKind.WorkerRestarted, WorkerId: Id));
        }
        _hadWorker = true;
        ScheduleStandby();
    }

    private void RetiredExited(WorkerProcessExited exited)
    {
        var old = _retiring!;
        _retiring = null;
        Timers.Cancel(RetireTimedOut.Key);
        if (old.Actor is { } actor)
        {
            Context.Unwatch(actor);
        }
        old.Process.Dispose();
        _log.Info("worker {0}: the upgrade's old process {1} exited ({2})", Id, old.Process.Pid, ExitReason(exited));
        ScheduleStandby(); // its slot is free for the standby now
    }

    /// <summary>Pings the worker's loop, or kills it when the loop has not answered for <see cref="WorkerSlotSettings.PingTimeout"/>.</summary>
    private void PingOrKill(SlotWorker worker)
    {
        if (_clock.GetElapsedTime(_lastPong) > _settings.PingTimeout)
        {
            _lastPong = _clock.GetTimestamp();
            Kill(worker, $"its loop was wedged (no pong for {_settings.PingTimeout.TotalSeconds:0} s)");
            return;
        }
        worker.Actor?.Tell(new WorkerPing(++_pingSequence));
    }

    // ==== Upgrading: the new process beside the old worker, until it is ready ====

    private void BeginUpgrade(UpgradeSlot upgrade)
    {
        if (_retiring is { } draining)
        {
            // Its slot is the one the new process would take.
            Fail(upgrade, $"the previous upgrade's old process {draining.Process.Pid} has not exited yet");
            return;
        }
        _retiring = _current;
        _current = null;
        Timers.Cancel(StandbyDue.Key);
        if (_standby is { } standby)
        {
            // It runs the old executable, and holds the slot the new process takes: gone first.
            // What arrives meanwhile (milliseconds) waits in the stash.
            _standby = null;
            _launcher.Kill(standby.Process);
            Timers.StartSingleTimer(StandbyExitTimedOut.Key, StandbyExitTimedOut.Instance, _settings.HardStopGrace);
            Enter(WorkerSlotState.Upgrading, () => ClearingSlotForUpgrade(upgrade, standby.Process));
            return;
        }
        LaunchUpgrade(upgrade);
    }

    private void ClearingSlotForUpgrade(UpgradeSlot upgrade, WorkerProcess standby)
    {
        Receive<WorkerProcessExited>(exited => exited.Process == standby, exited =>
        {
            Timers.Cancel(StandbyExitTimedOut.Key);
            exited.Process.Dispose();
            LaunchUpgrade(upgrade);
            Stash.UnstashAll();
        });
        Receive<StandbyExitTimedOut>(_ =>
        {
            _log.Warning("worker {0}: the standby {1} was killed but its exit was not seen; starting the new process anyway", Id, standby.Pid);
            LaunchUpgrade(upgrade);
            Stash.UnstashAll();
        });
        Receive<Event>(e => Context.System.EventStream.Publish(e));
        ReceiveAny(_ => Stash.Stash());
    }

    private void LaunchUpgrade(UpgradeSlot upgrade)
    {
        var old = _retiring!;
        var slot = OtherSlot(old.Slot);
        WorkerProcess process;
        try
        {
            process = _launcher.Start(slot, standby: false, Self);
        }
#pragma warning disable CA1031 // the old worker serves on; the operator gets the reason
        catch (Exception e)
#pragma warning restore CA1031
        {
            _log.Error(e, "worker {0}: cannot start the upgrade's new process on slot {1}", Id, slot);
            _current = old;
            _retiring = null;
            Fail(upgrade, "the new process could not be started");
            Enter(WorkerSlotState.Serving, Serving);
            ScheduleStandby();
            return;
        }
        _slot = slot;
        _current = new SlotWorker(process, slot, _clock.GetTimestamp());
        _log.Info("worker {0}: upgrade: started process {1} on slot {2}; process {3} serves until it is ready", Id, process.Pid, slot, old.Process.Pid);
        Timers.StartSingleTimer(HelloTimedOut.Key, new HelloTimedOut(process.Pid), _settings.HelloTimeout);
        Enter(WorkerSlotState.Upgrading, () => Upgrading(upgrade));
    }

    private void Upgrading(UpgradeSlot upgrade)
    {
        Receive<WorkerHello>(hello => OnHelloWhileUpgrading(hello));
        Receive<WorkerReady>(ready => ready.Worker.Equals(_current!.Actor), _ => CompleteUpgrade(upgrade));
        Receive<WorkerPong>(_ => _lastPong = _clock.GetTimestamp());
        // The worker that serves is pinged: the old one until the new one has registered (none
        // when the old one died and the new one is still booting: its hello timeout covers it).
        Receive<PingTick>(_ =>
        {
            if ((_current!.Actor is not null ? _current : _retiring) is { } serving)
            {
                PingOrKill(serving);
            }
        });
        Receive<HelloTimedOut>(timeout => timeout.Pid == _current!.Process.Pid && _current.Actor is null,
            _ => Kill(_current!, $"it did not say hello within {_settings.HelloTimeout.TotalSeconds:0} s"));
        Receive<WorkerProcessExited>(exited => exited.Process == _current!.Process, exited => NewWorkerDied(upgrade, exited));
        Receive<WorkerProcessExited>(exited => exited.Process == _retiring?.Process, OldWorkerDied);
        Receive<Terminated>(t => t.ActorRef.Equals(_current!.Actor), _ => Kill(_current!, "it stopped answering (DeathWatch)"));
        Receive<Terminated>(t => t.ActorRef.Equals(_retiring?.Actor), _ => Kill(_retiring!, "it stopped answering (DeathWatch)"));
        Receive<RestartWorker>(restart => Kill(_current!, "restart asked: " + restart.Reason));
        Receive<UpgradeSlot>(other => Fail(other, "an upgrade of this worker is already running"));
        Receive<StopSlot>(stop =>
        {
            Fail(upgrade, "the worker is stopping");
            BeginStop(stop);
        });
        Always();
    }

    private void OnHelloWhileUpgrading(WorkerHello hello)
    {
        if (IsForeign(hello))
        {
            return;
        }
        var fresh = _current!;
        if (hello.Pid == fresh.Process.Pid && fresh.Actor is null)
        {
            // Registered like any new worker: the configuration actor syncs it, then tells us it is ready.
            Timers.Cancel(HelloTimedOut.Key);
            Register(fresh, hello.Worker);
            return;
        }
        if (hello.Worker.Equals(fresh.Actor) || hello.Worker.Equals(_retiring?.Actor))
        {
            hello.Worker.Tell(new WorkerWelcome(Id));
            return;
        }
        if (MayJoin(hello))
        {
            TellToStopSoftly(hello, refuseNew: false);
        }
    }

    /// <summary>The hand-over, in this order: the new worker is in sync and accepting, then the old one stops softly (it drains).</summary>
    private void CompleteUpgrade(UpgradeSlot upgrade)
    {
        var fresh = _current!;
        fresh.Ready = true;
        _hadWorker = true;
        _log.Info("worker {0} (pid {1}) is ready", Id, fresh.Process.Pid);
        string how;
        if (_retiring is { } old)
        {
            old.Actor?.Tell(new StopWorker(Hard: false));
            Timers.StartSingleTimer(RetireTimedOut.Key, RetireTimedOut.Instance, _settings.SoftStopGrace);
            how = "the old process stops softly";
        }
        else
        {
            how = "the old process had already exited";
        }
        Reply(upgrade, Answer.Ok(upgrade.Id, message: $"worker {Id} now runs as pid {fresh.Process.Pid}; {how}"));
        Enter(WorkerSlotState.Serving, Serving);
        ScheduleStandby(); // once the old process has exited
    }

    private void NewWorkerDied(UpgradeSlot upgrade, WorkerProcessExited exited)
    {
        var dead = _current!;
        _current = null;
        Timers.Cancel(HelloTimedOut.Key);
        Forget(dead);
        var reason = DeathReason(dead, exited);
        _log.Warning("worker {0} (pid {1}, slot {2}) died during its upgrade: {3}", Id, dead.Process.Pid, dead.Slot, reason);
        if (_retiring is { } old)
        {
            // The old worker serves on; the upgrade failed.
            _current = old;
            _retiring = null;
            _slot = old.Slot;
            Fail(upgrade, $"the new process died before it was ready ({reason})");
            if (dead.Actor is not null)
            {
                // The configuration actor took the new one in its place: it gets the old one back.
                _settings.Configuration?.Tell(new WorkerJoined(Id, old.Process.Pid, old.Actor!));
            }
            Enter(WorkerSlotState.Serving, Serving);
            ScheduleStandby();
            return;
        }
        // Both are gone: a death like any other.
        Fail(upgrade, $"the new process died before it was ready ({reason}), and the old one is gone too");
        Context.System.EventStream.Publish(new Event(EventKind.WorkerCrashed, WorkerId: Id));
        Timers.Cancel(PingTick.Key);
        Replace(dead);
    }

    private void OldWorkerDied(WorkerProcessExited exited)
    {
        var old = _retiring!;
        _retiring = null;
        Forget(old);
        _log.Warning("worker {0} (pid {1}, slot {2}) died during its upgrade, before the new process was ready: {3}",
            Id, old.Process.Pid, old.Slot, DeathReason(old, exited));
        Context.System.EventStream.Publish(new Event(EventKind.WorkerCrashed, WorkerId: Id));
    }

    // ==== Stopping: told to stop, waiting for the exit ====

    private void BeginStop(StopSlot stop)
    {
        Timers.Cancel(RestartDue.Key);
        Timers.Cancel(PingTick.Key);
        Timers.Cancel(HelloTimedOut.Key);
        Timers.Cancel(RetireTimedOut.Key);
        StopStandby();
        TellToStop(stop.Hard);
        Timers.StartSingleTimer(StopTimedOut.Key, new StopTimedOut(Killed: false), stop.Hard ? _settings.HardStopGrace : _settings.SoftStopGrace);
        Enter(WorkerSlotState.Stopping, Stopping);
    }

    private void Stopping()
    {
        Receive<WorkerProcessExited>(exited => exited.Process == _current!.Process, _ => Stopped());
        Receive<WorkerProcessExited>(exited => exited.Process == _retiring?.Process, exited =>
        {
            _retiring = null;
            exited.Process.Dispose();
        });
        // DeathWatch fired first (a hung or partitioned system): make sure the process is gone; its exit ends the stop.
        Receive<Terminated>(t => t.ActorRef.Equals(_current!.Actor), _ => _launcher.Kill(_current!.Process));
        Receive<StopSlot>(stop =>
        {
            // A hard stop overtakes a soft one.
            TellToStop(stop.Hard);
            if (stop.Hard)
            {
                Timers.StartSingleTimer(StopTimedOut.Key, new StopTimedOut(Killed: false), _settings.HardStopGrace);
            }
        });
        Receive<StopTimedOut>(timeout =>
        {
            if (!timeout.Killed)
            {
                _log.Warning("worker {0}: did not stop in time; killing it", Id);
                _launcher.Kill(_current!.Process);
                if (_retiring is { } old)
                {
                    _launcher.Kill(old.Process);
                }
                Timers.StartSingleTimer(StopTimedOut.Key, new StopTimedOut(Killed: true), _settings.HardStopGrace);
                return;
            }
            _log.Warning("worker {0}: no exit seen from pid {1} after it was killed; the slot stops waiting", Id, _current!.Process.Pid);
            Stopped();
        });
        Receive<WorkerHello>(hello =>
        {
            if (!IsForeign(hello) && !hello.Worker.Equals(_current!.Actor) && !hello.Worker.Equals(_retiring?.Actor) && MayJoin(hello))
            {
                TellToStopSoftly(hello, refuseNew: true);
            }
        });
        Receive<UpgradeSlot>(upgrade => Fail(upgrade, "the worker is stopping"));
        Always();
    }

    /// <summary>
    /// The whole product stops: the first worker to stop closes the shared listening sockets
    /// (after taking what waits in their queue), so new connections are refused at once. A process
    /// that has not registered has nothing to ask: killed.
    /// </summary>
    private void TellToStop(bool hard)
    {
        var stop = new StopWorker(hard, RefuseNew: true);
        _retiring?.Actor?.Tell(stop);
        if (_current!.Actor is { } actor)
        {
            actor.Tell(stop);
        }
        else
        {
            _launcher.Kill(_current.Process);
        }
    }

    private void Stopped()
    {
        var last = _current!;
        _current = null;
        Timers.Cancel(StopTimedOut.Key);
        Forget(last);
        _log.Info("worker {0} stopped", Id);
        _settings.Configuration?.Tell(new SlotsStopped(Id));
        Enter(WorkerSlotState.Stopped, StoppedState);
    }

    private void StopEmptySlot()
    {
        Timers.Cancel(RestartDue.Key);
        Timers.Cancel(AdoptTimedOut.Key);
        StopStandby();
        _settings.Configuration?.Tell(new SlotsStopped(Id));
        Enter(WorkerSlotState.Stopped, StoppedState);
    }

    // ==== Stopped: the slot's worker exited after a stop ====

    private void StoppedState()
    {
        Receive<WorkerHello>(hello =>
        {
            if (!IsForeign(hello) && MayJoin(hello))
            {
                TellToStopSoftly(hello, refuseNew: true);
            }
        });
        Receive<ActorIdentity>(identity => identity.Subject?.Tell(new StopWorker(Hard: false, RefuseNew: true)));
        Receive<StopSlot>(_ => { }); // answered once, when the worker exited
        Receive<UpgradeSlot>(upgrade => Fail(upgrade, "the worker is stopped"));
        Always();
    }

    // ==== in every state ====

    private void Always()
    {
        // Backend events noticed by the worker's loop, for `subscribe_events` clients.
        Receive<Event>(e => Context.System.EventStream.Publish(e));
        Receive<ActorIdentity>(OnProbeAnswer);
        // A process this slot no longer answers for (killed for a late worker, a killed standby).
        Receive<WorkerProcessExited>(exited => exited.Process.Dispose());
        // Late or stale: a pong, a tick of a cancelled timer, a Terminated of an actor we forgot.
        ReceiveAny(message => _log.Debug("worker {0} ({1}): {2} not for this state", Id, State, message.GetType().Name));
    }

    private void Enter(WorkerSlotState state, Action behaviour)
    {
        if (!_entered || state != State)
        {
            WorkerSlotState? from = _entered ? State : null;
            _log.Debug("worker {0}: {1} → {2}", Id, from?.ToString() ?? "start", state);
            Context.System.EventStream.Publish(new WorkerSlotTransition(Id, from, state));
        }
        _entered = true;
        State = state;
        Become(behaviour);
    }
}
