using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Sozu.Actors.Logging;
using Sozu.Actors.Workers.Mailbox;
using Sozu.Messages.Answers;
using Sozu.Messages.Requests;
using Sozu.Messages.State;
using Sozu.Messages.Workers;
using Sozu.Net.Metrics;
using Sozu.Net.Worker;

namespace Sozu.Actors.Workers;

/// <summary>
/// Owns one <see cref="ProxyWorker"/> and drives its loop from its own pinned thread, in slices:
/// each <see cref="RunLoop"/> message runs one epoll_wait (at most <see cref="WorkerActorSettings.LoopSliceMs"/>)
/// and its events, then returns to Akka, which hands over the messages queued meanwhile, and a
/// new RunLoop follows them. A message enqueued while the loop sleeps wakes it through the
/// <see cref="EventFdMessageQueue"/>; the finite slice bounds the delay of system messages.
///
/// Its states, each a behaviour (<c>Become</c>):
/// <list type="bullet">
/// <item><see cref="Standby"/>: a booted spare; takes full states with every listener inactive,
/// says <see cref="StandbyHello"/>, exits with its supervisor; <see cref="ActivateStandby"/> → Starting.</item>
/// <item><see cref="Starting"/>: says <see cref="WorkerHello"/> until welcomed; the first
/// state it applies → Serving.</item>
/// <item><see cref="Serving"/>: applies changes and syncs; keeps serving when the supervisor
/// goes (SPEC §6), saying hello again with back-off until a new one adopts it.</item>
/// <item><see cref="Stopping"/>: after a <see cref="StopWorker"/>: draining (soft) or closing
/// (hard); still answers changes until the loop ends, then the process exits.</item>
/// </list>
/// Its configuration is a <see cref="WorkerConfiguration"/> (a mirror <see cref="ConfigState"/>
/// of what the loop runs), so a <see cref="SyncState"/> (join, re-adoption, roll-back) applies
/// only the difference.
/// </summary>
public sealed class WorkerActor : ReceiveActor, IWithTimers
{
    /// <summary>The exit code of a worker process whose loop actor failed (EX_SOFTWARE).</summary>
    public const int FaultExitCode = 70;

    private const string HelloTimer = "hello";

    private readonly WorkerActorSettings _settings;
    private ILoggingAdapter _log = Context.GetLogger();
    private readonly long _startedAt = Stopwatch.GetTimestamp(); // lives as long as the process: its uptime
    private ProxyWorker? _worker;
    private WorkerConfiguration? _configuration;
    private SerilogAccessLog? _accessLog;
    private EventFdMessageQueue? _queue;
    private readonly ConcurrentBag<MetricsCapture> _captures = [];

    /// <summary>The slot supervisor this worker is registered with; null until welcomed, and while orphaned.</summary>
    private IActorRef? _supervisor;
    private TimeSpan _helloInterval;
    private bool _terminating;

    public WorkerActor(WorkerActorSettings settings)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _helloInterval = settings.HelloMinInterval;
        if (settings.Standby)
        {
            Standby();
        }
        else
        {
            Starting();
        }
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props on the loop dispatcher and mailbox declared in hocon/worker.hocon.</summary>
    public static Props Props(WorkerActorSettings settings) =>
        Akka.Actor.Props.Create(() => new WorkerActor(settings))
            .WithDispatcher(WorkerActorSettings.LoopDispatcher)
            .WithMailbox(WorkerActorSettings.LoopMailbox);

    protected override void PreStart()
    {
        try
        {
            _worker = ProxyWorker.Create(_settings.Options);
            _accessLog = SerilogAccessLog.ForTarget(_settings.AccessLogsTarget);
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
        {
            ExitOnFault("the loop or its access log could not be created: " + e.Message); // Akka skips PostStop when creation fails
            _worker?.Dispose();
            throw;
        }
        _worker.AccessLog = _accessLog;
        var loop = _worker;
        _configuration = new WorkerConfiguration(loop.Apply);
        _worker.EventSink = new SupervisorEventSink(this);
        _worker.Diagnostics = new DebugLogDiagnostics(() => _log, _settings.WorkerId);
        _queue = EventFdMailbox.QueueOf(Self);
        if (_queue is not null)
        {
            var waker = _worker.Loop.CreateWaker(static () => { });
            _queue.AttachWaker(waker.Wake);
        }
        else
        {
            _log.Warning("the worker actor runs without the eventfd mailbox: messages wait for the end of a loop slice");
        }
        if (_settings.SupervisorPath is not null)
        {
            Self.Tell(SayHello.Instance);
        }
        Self.Tell(RunLoop.Instance);
    }

    protected override void PostStop()
    {
        ExitOnFault("the loop actor stopped unexpectedly");
        _worker?.Dispose();
        _worker = null;
        // After the loop: the sessions it closed on the way out have logged; what is queued is written.
        _accessLog?.Dispose();
        _accessLog = null;
        base.PostStop();
    }

    /// <summary>
    /// Stopped by a fault (the guardian stops, never restarts, this actor): the process goes,
    /// and the slot supervisor replaces it with a fresh one in the current state.
    /// </summary>
    private void ExitOnFault(string why)
    {
        if (_terminating || CoordinatedShutdown.Get(Context.System).ShutdownReason is not null)
        {
            return;
        }
        _terminating = true;
        _log.Error("worker {0}: {1}; exiting", _settings.WorkerId, why);
        Environment.ExitCode = FaultExitCode;
        Context.System.Terminate();
    }

    /// <summary>
    /// Only the raw copy runs here, on the loop thread; records, percentiles and the answer's
    /// shape are built on the thread pool. With 1,000 clusters × 3 backends, every histogram
    /// non-empty, the loop's share of a query fell from ~52 ms to ~2 ms (MetricsQueryBenchmarks),
    /// and the statsd drain queries every second. Captures are reused, one per query in flight.
    /// </summary>
    private void OnQueryMetrics()
    {
        var capture = _captures.TryTake(out var reused) ? reused : new MetricsCapture();
        _worker!.CaptureMetrics(capture);
        var replyTo = Sender;
        var self = Self;
        var workerId = _settings.WorkerId;
        var captures = _captures;
        var log = _log;
        _ = Task.Run(() =>
        {
            try
            {
                replyTo.Tell(new Metrics.WorkerMetricsReport(workerId, Metrics.MetricsMapping.FromSnapshot(capture.ToSnapshot())), self);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A bug here must not go unseen in an unobserved task; the query then answers without this worker.
                log.Error(e, "worker {0}: building the metrics report failed", workerId);
            }
            finally
            {
                captures.Add(capture);
            }
        });
    }

    private void RunSlice()
    {
        var worker = _worker!;
        if (worker.Loop.StopRequested)
        {
            Terminate();
            return;
        }
        var timeout = _settings.LoopSliceMs;
        if (_queue is not null && !_queue.TrySleep())
        {
            timeout = 0;
        }
        try
        {
            worker.RunOnce(timeout);
        }
        finally
        {
            _queue?.Wakened();
        }
        if (worker.Loop.StopRequested)
        {
            Terminate();
            return;
        }
        Self.Tell(RunLoop.Instance);
    }

    private void Terminate()
    {
        if (_terminating)
        {
            return;
        }
        _terminating = true;
        if (_worker is { Drained: not null } worker)
        {
            _log.Info("worker {0}: drained ({1} connections taken from the accept queue at the stop, {2} sessions cut at the deadline), exiting",
                _settings.WorkerId, worker.AcceptedWhileStopping, worker.SessionsCutAtDeadline);
        }
        else
        {
            _log.Info("worker {0}: loop stopped, exiting", _settings.WorkerId);
        }
        Context.System.Terminate();
    }

    /// <summary>set_logging, or the level a sync carries: the process's logger, Akka's bus, and this actor's adapter.</summary>
    private void SetLogLevel(string? name)
    {
        if (LogLevelControl.Parse(name) is not { } level || level == LogLevelControl.Switch.MinimumLevel)
        {
            return;
        }
        LogLevelControl.Apply(level, Context.System);
        _log = Context.GetLogger(); // an adapter keeps the bus level it was created with
        _log.Info("worker {0}: log level {1}", _settings.WorkerId, LogLevelControl.Name(level));
    }

    /// <summary>The supervisor's session-ticket keys; a malformed set is refused in the log, the old keys stay.</summary>
    private bool InstallTicketKeys(SessionTicketKeys keys)
    {
        if (keys.FindViolation() is { } violation)
        {
            _log.Error("worker {0}: session-ticket keys refused: {1}", _settings.WorkerId, violation);
            return false;
        }
        _worker!.InstallTicketKeys(keys);
        _log.Debug("worker {0}: session-ticket keys installed ({1})", _settings.WorkerId, keys);
        return true;
    }

    // ---- states ----

    /// <summary>A spare process: holds the configuration with no listener active, until its slot activates it.</summary>
    private void Standby()
    {
        Receive<SyncState>(sync => OnSync(sync, standby: true, onApplied: steps =>
            _log.Info("worker {0} (standby): configuration taken ({1} requests), listeners inactive", _settings.WorkerId, steps)));
        Receive<ApplyChanges>(change => Sender.Tell(new ChangesApplied(change.Version, _settings.WorkerId, 0, "a standby takes full states only")));
        Receive<StandbyWelcome>(_ => OnStandbyWelcome());
        Receive<WorkerWelcome>(_ =>
        {
            // Only our own slot turns a standby into a worker (ActivateStandby). A welcome from
            // another supervisor's probe means ours is gone (its DeathWatch may not have fired:
            // the new one has the same address), and this standby holds a slot the new one needs.
            if (!Sender.Equals(_supervisor))
            {
                _log.Info("worker {0} (standby): probed by a new supervisor; ours is gone, exiting", _settings.WorkerId);
                Terminate();
            }
        });
        Receive<ActivateStandby>(_ => OnActivate());
        Receive<StopWorker>(OnStop); // the loop ends, and the process with it
        Receive<SayHello>(_ => SayHelloAgain(new StandbyHello(_settings.WorkerId, Environment.ProcessId, Self)));
        Receive<Terminated>(t =>
        {
            if (t.ActorRef.Equals(_supervisor))
            {
                // A standby serves nothing; a new supervisor starts its own.
                _log.Info("worker {0} (standby): the supervisor is gone; exiting", _settings.WorkerId);
                Terminate();
            }
        });
        Always();
    }

    /// <summary>A worker that has not applied its first state yet: it says hello and waits for the sync.</summary>
    private void Starting()
    {
        Receive<SyncState>(sync => OnSync(sync, standby: false, onApplied: steps =>
        {
            _log.Info("worker {0}: configuration applied ({1} requests), serving", _settings.WorkerId, steps);
            Become(Serving);
        }));
        Registered(serving: false);
    }

    /// <summary>Applying its state, serving traffic.</summary>
    private void Serving()
    {
        Receive<SyncState>(sync => OnSync(sync, standby: false, onApplied: _ => { }));
        Registered(serving: true);
    }

    /// <summary>Told to stop: the loop drains (or closes) and ends; changes are still answered meanwhile.</summary>
    private void Stopping(bool serving)
    {
        Receive<SyncState>(sync => OnSync(sync, standby: false, onApplied: _ => { }));
        Receive<StopWorker>(stop =>
        {
            if (stop.Hard)
            {
                _worker!.HardStop(); // overtakes a soft stop still draining
            }
        });
        Registered(serving);
    }

    /// <summary>What a non-standby worker does in every state: changes, its registration with a supervisor, and stops.</summary>
    private void Registered(bool serving)
    {
        Receive<ApplyChanges>(OnChanges);
        Receive<StopWorker>(stop =>
        {
            OnStop(stop);
            Become(() => Stopping(serving));
        });
        Receive<WorkerWelcome>(_ => OnWelcome(serving));
        Receive<SayHello>(_ => SayHelloAgain(new WorkerHello(_settings.WorkerId, Environment.ProcessId, Self, serving)));
        Receive<Terminated>(t =>
        {
            if (t.ActorRef.Equals(_supervisor))
            {
                _supervisor = null;
                _log.Warning("worker {0}: the supervisor is gone; serving on, waiting for a new one", _settings.WorkerId);
                Self.Tell(SayHello.Instance);
            }
        });
        Always();
    }

    /// <summary>What every state does: the loop, queries, keys, log level.</summary>
    private void Always()
    {
        Receive<RunLoop>(_ => RunSlice());
        Receive<SetTicketKeys>(m => InstallTicketKeys(m.Keys));
        Receive<SetWorkerLogLevel>(m =>
        {
            SetLogLevel(m.Level);
            Sender.Tell(new WorkerLogLevelSet(_settings.WorkerId, LogLevelControl.CurrentName));
        });
        Receive<WorkerPing>(p => Sender.Tell(new WorkerPong(p.Sequence, _settings.WorkerId)));
        Receive<QueryListenerPort>(q => Sender.Tell(_worker!.ListenerPort(q.Address)));
        Receive<QueryWorkerStatus>(_ => Sender.Tell(new WorkerStatusReport(
            _settings.WorkerId, Environment.ProcessId, (long)Stopwatch.GetElapsedTime(_startedAt).TotalSeconds, _worker!.SessionCount)));
        Receive<Metrics.QueryWorkerMetrics>(_ => OnQueryMetrics());
    }

    // ---- configuration ----

    private void OnChanges(ApplyChanges change)
    {
        var before = change.Part == 0 ? 0 : _configuration!.AppliedInChange;
        var answer = _configuration!.Apply(change, _settings.WorkerId);
        if (_log.IsDebugEnabled)
        {
            LogChange(change, _configuration.AppliedInChange - before, answer?.Error);
        }
        if (answer is not null)
        {
            Sender.Tell(answer); // else more parts to come
        }
    }

    /// <summary>Each request of this part that was applied, and the one refused; records print no key.</summary>
    private void LogChange(ApplyChanges part, int applied, string? error)
    {
        var count = Math.Clamp(applied, 0, part.Requests.Count);
        for (var i = 0; i < count; i++)
        {
            _log.Debug("worker {0}: {1} applied: {2}", _settings.WorkerId, RequestNames.Of(part.Requests[i]), part.Requests[i]);
        }
        if (error is not null && count < part.Requests.Count)
        {
            _log.Debug("worker {0}: {1} refused ({2}): {3}", _settings.WorkerId, RequestNames.Of(part.Requests[count]), error, part.Requests[count]);
        }
    }

    private void OnSync(SyncState part, bool standby, Action<int> onApplied)
    {
        if (_configuration!.Gather(part, out var outOfOrder) is not { } requests)
        {
            if (outOfOrder is not null)
            {
                Reply(part.Id, outOfOrder);
            }
            return;
        }
        SetLogLevel(part.LogLevel);
        if (part.TicketKeys is { } keys && !InstallTicketKeys(keys))
        {
            Reply(part.Id, "the session-ticket keys sent are malformed");
            return;
        }
        var (error, steps) = _configuration.SyncTo(requests, standby);
        if (error is not null)
        {
            Reply(part.Id, error);
            return;
        }
        onApplied(steps);
        Reply(part.Id, null);
    }

    private void Reply(string id, string? error) =>
        Sender.Tell(error is null
            ? new WorkerResponse(id, _settings.WorkerId, AnswerStatus.Ok)
            : new WorkerResponse(id, _settings.WorkerId, AnswerStatus.Error, error));

    // ---- registration and stops ----

    private void OnStop(StopWorker stop)
    {
        if (stop.Hard)
        {
            _worker!.HardStop();
        }
        else
        {
            _log.Info("worker {0}: soft stop, draining ({1} sessions, at most {2} s){3}", _settings.WorkerId, _worker!.SessionCount,
                _worker.Options.SoftStopTimeout.TotalSeconds, stop.RefuseNew ? "; listening sockets closed" : "");
            _worker.BeginSoftStop(stop.RefuseNew);
        }
    }

    private void OnWelcome(bool serving)
    {
        Timers.Cancel(HelloTimer);
        _helloInterval = _settings.HelloMinInterval;
        if (Sender.Equals(_supervisor))
        {
            return;
        }
        if (_supervisor is not null)
        {
            Context.Unwatch(_supervisor);
        }
        _supervisor = Sender;
        // A welcome we did not ask for is an adoption by a new supervisor: it learns who we are from the hello.
        Sender.Tell(new WorkerHello(_settings.WorkerId, Environment.ProcessId, Self, serving));
        Context.Watch(_supervisor);
        _log.Info("worker {0}: registered with {1}", _settings.WorkerId, Sender.Path);
    }

    private void OnStandbyWelcome()
    {
        if (Sender.Equals(_supervisor))
        {
            return;
        }
        Timers.Cancel(HelloTimer);
        _supervisor = Sender;
        Context.Watch(_supervisor);
        _log.Info("worker {0} (standby): registered with {1}", _settings.WorkerId, Sender.Path);
    }

    private void OnActivate()
    {
        _log.Info("worker {0}: standby activated, taking over", _settings.WorkerId);
        if (_supervisor is null)
        {
            _supervisor = Sender;
            Context.Watch(_supervisor);
        }
        Become(Starting);
        // The sync this hello triggers activates the listeners (the difference from our mirror).
        Sender.Tell(new WorkerHello(_settings.WorkerId, Environment.ProcessId, Self, Serving: false));
    }

    private void SayHelloAgain(object hello)
    {
        if (_settings.SupervisorPath is not { } path || _supervisor is not null)
        {
            return;
        }
        Context.ActorSelection(path).Tell(hello);
        Timers.StartSingleTimer(HelloTimer, SayHello.Instance, _helloInterval);
        var next = _helloInterval * 2;
        _helloInterval = next > _settings.HelloMaxInterval ? _settings.HelloMaxInterval : next;
    }

    private sealed class RunLoop
    {
        public static readonly RunLoop Instance = new();
    }

    private sealed class SayHello
    {
        public static readonly SayHello Instance = new();
    }

    /// <summary>
    /// Forwards what the loop notices about backends to the slot supervisor, which publishes it
    /// to subscribers. Called on the loop thread, which is this actor's thread, so reading the
    /// supervisor reference here is safe; events before registration are dropped (there is no
    /// one to give them to yet).
    /// </summary>
    private sealed class SupervisorEventSink(WorkerActor owner) : IWorkerEventSink
    {
        public void OnEvent(Sozu.Messages.Events.Event workerEvent) => owner._supervisor?.Tell(workerEvent, owner.Self);
    }
}
