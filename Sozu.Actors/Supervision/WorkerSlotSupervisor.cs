using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Sozu.Actors.Configuration;
using Sozu.Actors.Hocon;
using Sozu.Actors.Remoting;
using Sozu.Actors.Workers;
using Sozu.Messages.Answers;
using Sozu.Messages.Collections;
using Sozu.Messages.Events;
using Sozu.Messages.Requests;
using Sozu.Messages.Workers;

namespace Sozu.Actors.Supervision;

/// <summary>
/// Keeps one worker slot filled with a live worker process.
///
/// Crash signals, fastest first: the process's Exited event (milliseconds; only for processes we
/// started), a pidfd for an adopted worker (milliseconds), DeathWatch on the worker's remote actor
/// (about 2 s with the tuned failure detector), and a ping answered from the worker's loop thread
/// (a wedged loop is killed after <see cref="WorkerSlotSettings.PingTimeout"/>). A dead worker is
/// replaced by its standby when there is one (<see cref="WorkerSlotSettings.Standby"/>: a booted,
/// synced process whose listeners are inactive), else restarted: at once after a worker that
/// served, else after an exponential back-off with jitter, reset once a worker has lived
/// <see cref="WorkerSlotSettings.ResetAfter"/>; AutomaticRestart = false leaves it dead.
///
/// Re-adoption: at start, when the worker's socket file exists, the slot first asks that address
/// whether a worker lives there; if so it adopts it instead of starting a process. A worker
/// that lost its supervisor also keeps saying hello, which any slot supervisor accepts. A hello the
/// slot did not expect (a live worker of this product answering after the probe's deadline) is
/// never ignored: adopted when the slot has no registered worker, else told to stop softly.
/// Only processes this actor started are ever killed, by their id.
/// </summary>
public sealed class WorkerSlotSupervisor : ReceiveActor, IWithTimers
{
    /// <summary>The WorkerActor's name under /user in a worker's system.</summary>
    public const string WorkerActorName = "worker";

    /// <summary>The parent of every slot under /user in the supervisor's system.</summary>
    public const string PoolName = "workers";

    private const string BackoffTimer = "backoff";
    private const string HelloTimer = "hello-timeout";
    private const string PingTimer = "ping";
    private const string StopTimer = "stop";
    private const string AdoptTimer = "adopt";
    private const string StandbyTimer = "standby";

    private readonly WorkerSlotSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private Process? _process;
    private Process? _retiring;
    private IActorRef? _worker;
    private IActorRef? _retiringWorker;
    private int _slot;
    private int _crashesInARow;
    private long _startedAt;
    private long _lastPong;
    private long _pingSequence;
    private bool _stopping;
    private bool _hadWorker;
    private bool _currentServed;
    private UpgradeSlot? _upgrade;

    // The standby: a booted process waiting on the other slot, promoted when the worker dies.
    private Process? _standbyProcess;
    private IActorRef? _standbyWorker;
    private int _standbySlot;
    private int _standbyCrashes;
    private int _standbySyncs;
    private TimeSpan _nextStandbyDelay;
    private ProcessExitWatch? _adoptedExit;

    // Pids of late workers told to stop softly, so the warning is logged once per process.
    private readonly HashSet<int> _stoppedLate = [];

    public WorkerSlotSupervisor(WorkerSlotSettings settings)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _slot = SozuHocon.WorkerSlot(settings.WorkerId);

        Receive<StartTick>(_ =>
        {
            // A live worker adopted by its hello during the back-off fills the slot: nothing to start.
            if (_worker is null && _process is null)
            {
                StartProcess();
            }
        });
        Receive<ProcessExited>(OnExited);
        Receive<WorkerHello>(OnHello);
        Receive<HelloTimedOut>(OnHelloTimedOut);
        Receive<Terminated>(OnTerminated);
        Receive<PingTick>(_ => Ping());
        Receive<WorkerPong>(p => _lastPong = Environment.TickCount64);
        Receive<WorkerReady>(OnReady);
        // Backend events noticed by the worker's loop, for `subscribe_events` clients.
        Receive<Sozu.Messages.Events.Event>(e => Context.System.EventStream.Publish(e));
        Receive<RestartWorker>(OnRestart);
        Receive<StopSlot>(OnStop);
        Receive<StopTimedOut>(_ => KillAll("did not stop in time"));
        Receive<UpgradeSlot>(OnUpgrade);
        Receive<ActorIdentity>(OnIdentity);
        Receive<StandbyHello>(OnStandbyHello);
        Receive<StandbyTick>(_ => StartStandby());
        Receive<CurrentState>(OnStateForStandby);
        Receive<SetTicketKeys>(m => _standbyWorker?.Tell(m));
        Receive<WorkerResponse>(OnStandbySynced);
        Receive<AdoptedExited>(OnAdoptedExited);
        Receive<AdoptTimedOut>(_ =>
        {
            _settings.Configuration?.Tell(new AdoptionOver(_settings.WorkerId));
            if (_worker is null && _process is null)
            {
                // The probed slot's socket may belong to a live worker that has not answered yet
                // (a loaded or stopped process): start ours on the other slot if that one is free,
                // so it does not fail to bind; the late worker's hello is handled in OnLateHello.
                if (_settings.SocketDirectory is { } directory
                    && File.Exists(SocketDirectory.SocketPath(directory, "worker", _slot))
                    && !File.Exists(SocketDirectory.SocketPath(directory, "worker", OtherSlot(_slot))))
                {
                    _slot = OtherSlot(_slot);
                }
                StartProcess();
            }
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The pid of the current worker process (started or adopted); 0 when none.</summary>
    public int CurrentPid { get; private set; }

    public static Props Props(WorkerSlotSettings settings) => Akka.Actor.Props.Create(() => new WorkerSlotSupervisor(settings));

    public static string SlotName(int workerId) => "worker-" + workerId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Where a worker finds its slot supervisor, over the Unix-domain transport.</summary>
    public static string RemotePath(string systemName, int workerId) =>
        $"akka.unix://{systemName}@supervisor:{SozuHocon.SupervisorSlot}/user/{PoolName}/{SlotName(workerId)}";

    /// <summary>A delay of the back-off after <paramref name="crashes"/> crashes in a row (1 = first).</summary>
    public static TimeSpan Backoff(WorkerSlotSettings settings, int crashes, double random)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var exponent = Math.Clamp(crashes - 1, 0, 30);
        var ms = Math.Min(settings.MaxBackoff.TotalMilliseconds, settings.MinBackoff.TotalMilliseconds * Math.Pow(2, exponent));
        var jitter = 1 + (settings.Jitter * ((random * 2) - 1));
        return TimeSpan.FromMilliseconds(ms * jitter);
    }

    protected override void PreStart()
    {
        _settings.Configuration?.Tell(new SlotStarted(_settings.WorkerId));
        if (TryAdopt())
        {
            _settings.Configuration?.Tell(new SlotAdopting(_settings.WorkerId));
            return;
        }
        StartProcess();
    }

    protected override void PostStop()
    {
        // The supervisor's system is going away: a hard stop already ended our processes; in any
        // other case the workers keep serving and wait for a new supervisor (SPEC §6).
        _process?.Dispose();
        _retiring?.Dispose();
        _standbyProcess?.Dispose(); // it exits by itself once it sees this supervisor gone
        _adoptedExit?.Dispose();
        base.PostStop();
    }

    // ---- starting and adopting ----

    private bool TryAdopt()
    {
        if (_settings.SocketDirectory is not { } directory)
        {
            return false;
        }
        var found = false;
        foreach (var slot in new[] { SozuHocon.WorkerSlot(_settings.WorkerId), WorkerCommand.AlternateSlot(_settings.WorkerId) })
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
            Timers.StartSingleTimer(AdoptTimer, AdoptTimedOut.Instance, _settings.AdoptTimeout);
        }
        return found;
    }

    private void OnIdentity(ActorIdentity identity)
    {
        if (identity.Subject is { } other && _worker is not null && !other.Equals(_worker))
        {
            // Something else answered on our slots, after our worker registered by its own hello:
            // a previous supervisor's standby (it exits on this welcome, freeing its slot).
            other.Tell(new WorkerWelcome(_settings.WorkerId));
            return;
        }
        if (identity.Subject is { } worker && _worker is null && _process is null && identity.MessageId is int slot)
        {
            _log.Info("worker {0}: found alive on slot {1}, adopting it", _settings.WorkerId, slot);
            _slot = slot;
            // Its reply to the welcome is a hello, which registers it like a fresh one.
            worker.Tell(new WorkerWelcome(_settings.WorkerId));
        }
    }

    private void StartProcess()
    {
        if (_stopping)
        {
            return;
        }
        var info = _settings.Command.StartInfo(_slot);
        _startedAt = Environment.TickCount64; // a start that fails counts as a life of zero
        _currentServed = false;
        Process process;
        try
        {
            process = new Process { StartInfo = info, EnableRaisingEvents = true };
            var self = Self;
            process.Exited += (_, _) => self.Tell(new ProcessExited(process));
            process.Start();
        }
#pragma warning disable CA1031 // a worker that cannot be started is a crash like any other: backed off
        catch (Exception e)
#pragma warning restore CA1031
        {
            _log.Error(e, "worker {0}: cannot start {1}", _settings.WorkerId, info.FileName);
            ScheduleRestart("it could not be started");
            return;
        }
        _process = process;
        CurrentPid = process.Id;
        _log.Info("worker {0}: started process {1} on slot {2}", _settings.WorkerId, process.Id, _slot);
        Timers.StartSingleTimer(HelloTimer, new HelloTimedOut(process.Id), _settings.HelloTimeout);
    }

    private void OnHello(WorkerHello hello)
    {
        if (hello.WorkerId != _settings.WorkerId)
        {
            _log.Warning("slot {0}: ignoring a hello from worker {1}", _settings.WorkerId, hello.WorkerId);
            return;
        }
        if (_worker is not null && _worker.Equals(hello.Worker))
        {
            hello.Worker.Tell(new WorkerWelcome(_settings.WorkerId));
            return;
        }
        var expected = _process;
        var late = (expected is not null && expected.Id != hello.Pid) || (_worker is not null && _upgrade is null);
        if (late && !OnLateHello(hello))
        {
            return;
        }
        Timers.Cancel(HelloTimer);
        Timers.Cancel(AdoptTimer);
        Timers.Cancel(BackoffTimer);
        if (_upgrade is not null)
        {
            _retiringWorker = _worker;
        }
        _worker = hello.Worker;
        CurrentPid = hello.Pid;
        if (_process is null)
        {
            _startedAt = Environment.TickCount64; // adopted
            // Its slot is its address's port: the next standby or restart takes the other one.
            if (hello.Worker.Path.Address.Port is int port)
            {
                _slot = port;
            }
            // Not our child: no Process.Exited. A pidfd sees its exit in milliseconds, not DeathWatch's seconds.
            var self = Self;
            var pid = hello.Pid;
            _adoptedExit?.Dispose();
            _adoptedExit = ProcessExitWatch.Start(pid, () => self.Tell(new AdoptedExited(pid)));
        }
        Context.Watch(hello.Worker);
        hello.Worker.Tell(new WorkerWelcome(_settings.WorkerId));
        _lastPong = Environment.TickCount64;
        Timers.StartPeriodicTimer(PingTimer, PingTick.Instance, _settings.PingInterval);
        _settings.Configuration?.Tell(new WorkerJoined(_settings.WorkerId, hello.Pid, hello.Worker));
    }

    /// <summary>
    /// A hello from a worker other than the one this slot expects: typically a worker of the
    /// previous supervisor that answered the adoption probe late (a loaded machine), or an orphan
    /// that kept saying hello. Never ignored while it lives, so no worker can outlive the product:
    /// when the slot has no registered worker it is adopted (the process we started instead, not
    /// yet registered, is killed), else it is told to stop softly (it drains, then exits).
    /// Returns true when the hello should register the sender as this slot's worker.
    /// </summary>
    private bool OnLateHello(WorkerHello hello)
    {
        if (!ProcessIsAlive(hello.Pid))
        {
            _log.Debug("slot {0}: hello from pid {1}, which is no longer alive; nothing to adopt", _settings.WorkerId, hello.Pid);
            return false;
        }
        if (!IsOurs(hello.Worker))
        {
            _log.Warning("slot {0}: hello from pid {1} at {2}, outside this product's socket directory; ignored", _settings.WorkerId, hello.Pid, hello.Worker.Path.Address);
            return false;
        }
        if (_worker is null && _upgrade is null && _process is { } started)
        {
            // A live worker that already serves beats a process still booting: adopt it, end ours.
            _log.Warning("slot {0}: late hello from live worker pid {1}; adopting it and ending process {2}, which had not said hello yet",
                _settings.WorkerId, hello.Pid, started.Id);
            _process = null;
            Kill(started);
            return true;
        }
        if (_stoppedLate.Add(hello.Pid))
        {
            _log.Warning("slot {0}: late hello from live worker pid {1} while pid {2} serves; telling it to stop softly",
                _settings.WorkerId, hello.Pid, CurrentPid);
        }
        // Told again at each hello it repeats (they come at most every few seconds): a lost stop
        // must not leave it serving. Its drain ends at its soft_stop_timeout at the latest.
        hello.Worker.Tell(new StopWorker(Hard: false));
        return false;
    }

    private static bool ProcessIsAlive(int pid) => pid > 0 && Directory.Exists("/proc/" + pid.ToString(System.Globalization.CultureInfo.InvariantCulture));

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

    private void OnReady(WorkerReady ready)
    {
        if (!ready.Worker.Equals(_worker))
        {
            return;
        }
        _log.Info("worker {0} (pid {1}) is ready", _settings.WorkerId, CurrentPid);
        _currentServed = true;
        ScheduleStandby();
        if (_hadWorker && _upgrade is null)
        {
            Context.System.EventStream.Publish(new Event(EventKind.WorkerRestarted, WorkerId: _settings.WorkerId));
        }
        _hadWorker = true;
        if (_upgrade is { } upgrade)
        {
            _upgrade = null;
            _retiringWorker?.Tell(new StopWorker(Hard: false));
            _retiringWorker = null;
            var answer = Answer.Ok(upgrade.Id, message: $"worker {_settings.WorkerId} now runs as pid {CurrentPid}; the old process stops softly");
            if (_settings.Configuration is { } configuration)
            {
                configuration.Tell(new UpgradeDone(upgrade.ReplyTo, answer));
            }
            else
            {
                upgrade.ReplyTo.Tell(answer);
            }
        }
    }

    private void OnHelloTimedOut(HelloTimedOut timeout)
    {
        if (_process is { } process && process.Id == timeout.Pid && _worker is null)
        {
            _log.Warning("worker {0}: process {1} did not say hello in time; killing it", _settings.WorkerId, process.Id);
            Kill(process);
        }
    }

    // ---- crashes ----

    private void OnExited(ProcessExited exited)
    {
        var process = exited.Process;
        if (ReferenceEquals(process, _retiring))
        {
            _retiring = null;
            process.Dispose();
            ScheduleStandby();
            return;
        }
        if (ReferenceEquals(process, _standbyProcess))
        {
            StandbyGone(process);
            return;
        }
        if (!ReferenceEquals(process, _process))
        {
            process.Dispose(); // a process given up for a late-adopted worker
            return;
        }
        var code = process.ExitCode;
        _process = null;
        process.Dispose();
        if (_upgrade is { } upgrade && _retiringWorker is not null)
        {
            // The new process died before it was ready: keep the old one, the upgrade failed.
            _upgrade = null;
            _worker = _retiringWorker;
            _retiringWorker = null;
            (_process, _retiring) = (_retiring, null);
            CurrentPid = _process?.Id ?? 0;
            Fail(upgrade, $"the new process exited with code {code} before it was ready");
            return;
        }
        WorkerGone(ExitReason(code));
    }

    private void OnAdoptedExited(AdoptedExited exited)
    {
        if (_process is null && _worker is not null && CurrentPid == exited.Pid)
        {
            WorkerGone("its process exited (seen by pidfd)");
        }
    }

    private void OnTerminated(Terminated terminated)
    {
        if (terminated.ActorRef.Equals(_retiringWorker))
        {
            _retiringWorker = null;
            return;
        }
        if (!terminated.ActorRef.Equals(_worker))
        {
            return;
        }
        if (_process is { } process)
        {
            // DeathWatch fired first (a hung or partitioned system): make sure the process is gone.
            Kill(process);
            return; // Exited follows and restarts it
        }
        WorkerGone("it stopped answering (DeathWatch)");
    }

    private void Ping()
    {
        if (_worker is null)
        {
            return;
        }
        if (Environment.TickCount64 - _lastPong > _settings.PingTimeout.TotalMilliseconds)
        {
            _log.Error("worker {0}: no pong from its loop for {1} s, the loop is wedged; killing it", _settings.WorkerId, _settings.PingTimeout.TotalSeconds);
            _lastPong = Environment.TickCount64;
            if (_process is { } process)
            {
                Kill(process);
            }
            return;
        }
        _worker.Tell(new WorkerPing(++_pingSequence));
    }

    private void OnRestart(RestartWorker restart)
    {
        _log.Warning("worker {0}: restart asked ({1})", _settings.WorkerId, restart.Reason);
        if (_process is { } process)
        {
            Kill(process);
        }
        else if (_worker is not null)
        {
            _worker.Tell(new StopWorker(Hard: true));
        }
    }

    private void WorkerGone(string reason)
    {
        Timers.Cancel(PingTimer);
        _adoptedExit?.Dispose();
        _adoptedExit = null;
        var worker = _worker;
        var pid = CurrentPid;
        _worker = null;
        CurrentPid = 0;
        if (worker is not null)
        {
            Context.Unwatch(worker);
            _settings.Configuration?.Tell(new WorkerLeft(_settings.WorkerId, worker));
        }
        if (_stopping)
        {
            _log.Info("worker {0} stopped", _settings.WorkerId);
            Timers.Cancel(StopTimer);
            _settings.Configuration?.Tell(new SlotsStopped(_settings.WorkerId));
            return;
        }
        // One line per death, at WARN: the replacement follows on its own.
        _log.Warning("worker {0} (pid {1}, slot {2}) died: {3}", _settings.WorkerId, pid, _slot, reason);
        Context.System.EventStream.Publish(new Event(EventKind.WorkerCrashed, WorkerId: _settings.WorkerId));
        ScheduleRestart(reason);
    }

    private void ScheduleRestart(string reason)
    {
        if (!_settings.AutomaticRestart)
        {
            _log.Warning("worker {0}: automatic restart is off, the slot stays empty ({1})", _settings.WorkerId, reason);
            StopStandby();
            return;
        }
        if (_standbyProcess is not null)
        {
            PromoteStandby();
            return;
        }
        var lived = Environment.TickCount64 - _startedAt;
        _crashesInARow = lived >= _settings.ResetAfter.TotalMilliseconds ? 1 : _crashesInARow + 1;
        // The back-off is for crash loops. A worker that served and then died, with no crash
        // before it, is replaced at once: every millisecond here is a millisecond of lost capacity.
        var delay = _crashesInARow == 1 && _currentServed
            ? TimeSpan.Zero
            : Backoff(_settings, _crashesInARow, Random.Shared.NextDouble());
        _currentServed = false;
        _log.Info("worker {0}: restarting in {1:0} ms (crash {2} in a row)", _settings.WorkerId, delay.TotalMilliseconds, _crashesInARow);
        Context.System.EventStream.Publish(new RestartScheduled(_settings.WorkerId, _crashesInARow, delay));
        if (delay == TimeSpan.Zero)
        {
            StartProcess();
            return;
        }
        Timers.StartSingleTimer(BackoffTimer, StartTick.Instance, delay);
    }

    // ---- the standby ----

    /// <summary>
    /// Once the worker is ready, a standby is started behind it: after the back-off its crashes in
    /// a row call for (none after a quiet period), so a crash loop is not fed by standbys either.
    /// </summary>
    private void ScheduleStandby()
    {
        if (!_settings.Standby || !_settings.AutomaticRestart || _stopping || _standbyProcess is not null
            || _worker is null || _upgrade is not null || _retiring is not null || _retiringWorker is not null)
        {
            return;
        }
        if (_nextStandbyDelay > TimeSpan.Zero)
        {
            Timers.StartSingleTimer(StandbyTimer, StandbyTick.Instance, _nextStandbyDelay);
            _nextStandbyDelay = TimeSpan.Zero;
            return;
        }
        StartStandby();
    }

    private void StartStandby()
    {
        if (!_settings.Standby || _stopping || _standbyProcess is not null || _worker is null || _upgrade is not null || _retiring is not null)
        {
            return;
        }
        var slot = OtherSlot(_slot);
        var info = _settings.Command.StartInfo(slot, standby: true);
        Process process;
        try
        {
            process = new Process { StartInfo = info, EnableRaisingEvents = true };
            var self = Self;
            process.Exited += (_, _) => self.Tell(new ProcessExited(process));
            process.Start();
        }
#pragma warning disable CA1031 // a standby that cannot be started is retried after a back-off; the worker serves on
        catch (Exception e)
#pragma warning restore CA1031
        {
            _log.Error(e, "worker {0}: cannot start a standby", _settings.WorkerId);
            Timers.StartSingleTimer(StandbyTimer, StandbyTick.Instance, Backoff(_settings, ++_standbyCrashes, Random.Shared.NextDouble()));
            return;
        }
        _standbyProcess = process;
        _standbySlot = slot;
        _standbyWorker = null;
        _log.Info("worker {0}: started standby process {1} on slot {2}", _settings.WorkerId, process.Id, slot);
    }

    private void OnStandbyHello(StandbyHello hello)
    {
        if (hello.WorkerId != _settings.WorkerId)
        {
            return;
        }
        if (_standbyProcess is { } standby && standby.Id == hello.Pid)
        {
            if (_standbyWorker is null)
            {
                _standbyWorker = hello.Worker;
                // Warm it with the committed state now (listeners stay inactive), so that taking
                // over applies only the difference: the activations and what changed meanwhile.
                _settings.Configuration?.Tell(GetState.Instance);
            }
            hello.Worker.Tell(new StandbyWelcome(_settings.WorkerId));
            return;
        }
        if (_process is { } promoted && promoted.Id == hello.Pid && _worker is null)
        {
            // Promoted before it had said hello: tell it now.
            hello.Worker.Tell(new ActivateStandby(_settings.WorkerId));
        }
    }

    private void OnStateForStandby(CurrentState state)
    {
        if (_standbyWorker is null)
        {
            return;
        }
        var id = $"standby-{_settings.WorkerId}-{++_standbySyncs}";
        StateSync.Send(_standbyWorker, id, state.State, Self, ticketKeys: state.TicketKeys);
    }

    private void OnStandbySynced(WorkerResponse response)
    {
        if (_standbyProcess is not { } standby || !Sender.Equals(_standbyWorker))
        {
            return;
        }
        if (response.Status == Messages.Answers.AnswerStatus.Ok)
        {
            _standbyCrashes = 0;
            _log.Info("worker {0}: standby process {1} is ready to take over", _settings.WorkerId, standby.Id);
            return;
        }
        _log.Error("worker {0}: the standby refused the configuration ({1}); replacing it", _settings.WorkerId, response.Message);
        Kill(standby);
    }

    private void StandbyGone(Process process)
    {
        var code = process.ExitCode;
        process.Dispose();
        _standbyProcess = null;
        _standbyWorker = null;
        if (_stopping || !_settings.Standby)
        {
            return;
        }
        var delay = Backoff(_settings, ++_standbyCrashes, Random.Shared.NextDouble());
        _log.Warning("worker {0}: the standby exited with code {1}; another in {2:0} ms", _settings.WorkerId, code, delay.TotalMilliseconds);
        Timers.StartSingleTimer(StandbyTimer, StandbyTick.Instance, delay);
    }

    /// <summary>The worker died: the standby takes over at once; a new standby follows it once it serves.</summary>
    private void PromoteStandby()
    {
        var process = _standbyProcess!;
        var lived = Environment.TickCount64 - _startedAt;
        _crashesInARow = lived >= _settings.ResetAfter.TotalMilliseconds ? 1 : _crashesInARow + 1;
        _nextStandbyDelay = _crashesInARow == 1 && _currentServed
            ? TimeSpan.Zero
            : Backoff(_settings, _crashesInARow, Random.Shared.NextDouble());
        _process = process;
        _slot = _standbySlot;
        _startedAt = Environment.TickCount64;
        _currentServed = false;
        CurrentPid = process.Id;
        var worker = _standbyWorker;
        _standbyProcess = null;
        _standbyWorker = null;
        _log.Info("worker {0}: standby process {1} takes over (crash {2} in a row)", _settings.WorkerId, process.Id, _crashesInARow);
        Context.System.EventStream.Publish(new RestartScheduled(_settings.WorkerId, _crashesInARow, TimeSpan.Zero));
        // Its hello (the answer) registers it like a new worker; the sync activates its listeners.
        worker?.Tell(new ActivateStandby(_settings.WorkerId));
        Timers.StartSingleTimer(HelloTimer, new HelloTimedOut(process.Id), _settings.HelloTimeout);
    }

    private void StopStandby()
    {
        Timers.Cancel(StandbyTimer);
        if (_standbyProcess is { } standby)
        {
            Kill(standby);
            standby.WaitForExit(2000); // its slot's socket must be free for the next process there
            standby.Dispose();
            _standbyProcess = null;
            _standbyWorker = null;
        }
    }

    private static int OtherSlot(int slot) => slot >= 30000 ? slot - 30000 : slot + 30000;

    // ---- stop and upgrade ----

    private void OnStop(StopSlot stop)
    {
        _stopping = true;
        Timers.Cancel(BackoffTimer);
        Timers.Cancel(PingTimer);
        StopStandby();
        if (_worker is null && _process is null)
        {
            _settings.Configuration?.Tell(new SlotsStopped(_settings.WorkerId));
            return;
        }
        // The whole product stops: the first worker to stop closes the shared listening sockets
        // (after taking what waits in their queue), so new connections are refused at once.
        _worker?.Tell(new StopWorker(stop.Hard, RefuseNew: true));
        _retiringWorker?.Tell(new StopWorker(stop.Hard, RefuseNew: true));
        if (_worker is null && _process is not null)
        {
            Kill(_process); // started but not registered yet: nothing to ask
        }
        Timers.StartSingleTimer(StopTimer, StopTimedOut.Instance, stop.Hard ? _settings.HardStopGrace : _settings.SoftStopGrace);
    }

    private void KillAll(string reason)
    {
        _log.Warning("worker {0}: {1}; killing it", _settings.WorkerId, reason);
        if (_process is { } process)
        {
            Kill(process);
        }
        if (_retiring is { } retiring)
        {
            Kill(retiring);
        }
        StopStandby();
        if (_process is null && _worker is not null)
        {
            WorkerGone(reason); // adopted: not ours to kill; stop waiting for it
        }
    }

    private void OnUpgrade(UpgradeSlot upgrade)
    {
        if (_upgrade is not null || _worker is null || _stopping)
        {
            Fail(upgrade, _upgrade is not null ? "an upgrade of this worker is already running" : "the worker is not running");
            return;
        }
        StopStandby(); // it runs the old executable, and holds the slot the new process takes
        _upgrade = upgrade;
        _retiring = _process;
        _slot = _slot == SozuHocon.WorkerSlot(_settings.WorkerId) ? WorkerCommand.AlternateSlot(_settings.WorkerId) : SozuHocon.WorkerSlot(_settings.WorkerId);
        _process = null;
        StartProcess();
        if (_process is null)
        {
            _upgrade = null;
            _process = _retiring;
            _retiring = null;
            Fail(upgrade, "the new process could not be started");
        }
    }

    private void Fail(UpgradeSlot upgrade, string message)
    {
        var answer = Answer.Error(upgrade.Id, $"upgrade of worker {_settings.WorkerId}: {message}");
        if (_settings.Configuration is { } configuration)
        {
            configuration.Tell(new UpgradeDone(upgrade.ReplyTo, answer));
        }
        else
        {
            upgrade.ReplyTo.Tell(answer);
        }
    }

    /// <summary>.NET reports a death by signal N as exit code 128 + N (as a shell does).</summary>
    private static string ExitReason(int code) => code > 128 && code < 160
        ? $"killed by signal {code - 128} (exit code {code})"
        : $"its process exited with code {code}";

    private static void Kill(Process process)
    {
        try
        {
            // Only processes this actor started reach here: killed by their id, never by name.
            process.Kill();
        }
        catch (InvalidOperationException)
        {
            // already exited
        }
    }

    private sealed class StartTick
    {
        public static readonly StartTick Instance = new();
    }

    private sealed record ProcessExited(Process Process);

    private sealed record HelloTimedOut(int Pid);

    private sealed record AdoptedExited(int Pid);

    private sealed class PingTick
    {
        public static readonly PingTick Instance = new();
    }

    private sealed class StopTimedOut
    {
        public static readonly StopTimedOut Instance = new();
    }

    private sealed class StandbyTick
    {
        public static readonly StandbyTick Instance = new();
    }

    private sealed class AdoptTimedOut
    {
        public static readonly AdoptTimedOut Instance = new();
    }
}

/// <summary>Published on the event stream when a dead worker's restart is scheduled (tests, logs).</summary>
public sealed record RestartScheduled(int WorkerId, int CrashesInARow, TimeSpan Delay);

/// <summary>Slot → ConfigurationActor at start: this slot exists (so stops reach it even before its worker joins).</summary>
public sealed record SlotStarted(int WorkerId);
