using Akka.Actor;
using Akka.Event;
using Sozu.Actors.Supervision;
using Sozu.Actors.Workers;
using Sozu.Messages.Answers;
using Sozu.Messages.Collections;
using Sozu.Messages.Events;
using Sozu.Messages.Requests;
using Sozu.Messages.State;
using Sozu.Messages.Workers;
using Status = Sozu.Messages.Requests.Status;

namespace Sozu.Actors.Configuration;

/// <summary>
/// Holds the proxy's <see cref="ConfigState"/> and keeps every worker on it.
///
/// Requests are handled in arrival order (so each requester's are answered in its order, and a
/// query sees every change sent before it). A configuration change is validated against the
/// state first: refused → Error, nothing sent. Accepted → Processing, then Ok once every worker
/// that is in sync confirmed it, and only then is the state committed. The changes that queued
/// up while one was out travel together as the next (ConfigurationActor.Changes.cs): one
/// <see cref="ApplyChanges"/> and one <see cref="ChangesApplied"/> per worker, whatever their number.
///
/// When a worker refuses (or stays silent past the timeout) the command it refused is answered
/// Error naming the worker and its reason, the state keeps only the commands before it, and
/// every worker that took part is brought back to the committed state with a
/// <see cref="SyncState"/> (each worker mirrors its own configuration and applies only the
/// difference, so a worker that accepted rolls back and one that refused half a change is repaired). A worker that refuses a sync, or does not answer in
/// time, is restarted by its slot supervisor: a fresh process gets the committed state.
///
/// A worker that joins (fresh or restarted) is sent the committed state and counts only once it
/// confirmed it; a change committed while it was syncing is caught up with another sync.
/// </summary>
public sealed partial class ConfigurationActor : ReceiveActor, IWithTimers
{
    private readonly ConfigurationSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Queue<Pending> _queue = new();
    private readonly Dictionary<int, WorkerEntry> _workers = [];

    // Slots still probing a live worker to adopt (at start), and the list_workers waiting for them.
    private readonly HashSet<int> _adopting = [];
    private readonly List<(string Id, IActorRef ReplyTo)> _listsWaitingForAdoption = [];
    private readonly Dictionary<int, IActorRef> _slots = [];
    private ChangeBatch? _inFlight;
    private PendingStop? _stopping;
    private long _sequence;

    /// <summary>
    /// The session-ticket keys every worker seals with: drawn here, handed with each sync and on
    /// every rotation, never written to a file or a log line (their ToString names them only).
    /// </summary>
    private SessionTicketKeys _ticketKeys;

    public ConfigurationActor(ConfigState initial, ConfigurationSettings settings)
    {
        State = initial ?? throw new ArgumentNullException(nameof(initial));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _ticketKeys = settings.InitialTicketKeys is { } inherited && inherited.FindViolation() is null ? inherited : SessionTicketKeys.Generate();

        Receive<ExecuteRequest>(m =>
        {
            if (_handedOver)
            {
                Sender.Tell(Answer.Error(m.Id, HandedOverError));
                return;
            }
            if (_stopping is not null && m.Request is HardStop)
            {
                // A hard stop overtakes a soft one still waiting for sessions to finish.
                Sender.Tell(Answer.Processing(m.Id, "stopping every worker now"));
                foreach (var slot in _slots.Values)
                {
                    slot.Tell(new StopSlot(Hard: true));
                }
                return;
            }
            _queue.Enqueue(new Pending(m.Id, m.Request, Sender));
            Drain();
        });
        Receive<GetState>(_ => Sender.Tell(new CurrentState(State, _ticketKeys)));
        Receive<RotateTicketKeys>(_ => RotateTicketKeysNow());
        Receive<WorkerJoined>(OnWorkerJoined);
        Receive<WorkerLeft>(OnWorkerLeft);
        Receive<WorkerResponse>(OnWorkerResponse);
        Receive<ChangesApplied>(OnChangesApplied);
        Receive<ChangeTimedOut>(OnChangeTimedOut);
        Receive<SyncTimedOut>(OnSyncTimedOut);
        Receive<Event>(e => Context.System.EventStream.Publish(e));
        Receive<SlotsStopped>(_ => FinishStop());
        Receive<UpgradeDone>(m => m.ReplyTo.Tell(m.Answer));
        Receive<Kick>(_ => Drain());
        Receive<SlotStarted>(m => _slots[m.WorkerId] = Sender);
        Receive<SlotAdopting>(m => _adopting.Add(m.WorkerId));
        Receive<AdoptionOver>(m => AdoptionSettled(m.WorkerId));
        Receive<MainUpgradeTick>(_ => OnMainUpgradeTick());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        base.PreStart();
        Timers.StartPeriodicTimer(RotateTicketKeys.Key, RotateTicketKeys.Instance, _settings.TicketKeyRotation);
    }

    /// <summary>The committed state: what every in-sync worker runs.</summary>
    public ConfigState State { get; private set; }

    /// <summary>The registered workers, for list_workers and status.</summary>
    public IReadOnlyList<WorkerInfo> WorkerInfos
    {
        get
        {
            var list = new List<WorkerInfo>(_workers.Count);
            foreach (var entry in _workers.Values.OrderBy(w => w.Id))
            {
                list.Add(new WorkerInfo(entry.Id, entry.Pid, entry.InSync ? "running" : "starting"));
            }
            return list;
        }
    }

    public static Props Props(ConfigState initial, ConfigurationSettings? settings = null) =>
        Akka.Actor.Props.Create(() => new ConfigurationActor(initial, settings ?? ConfigurationSettings.Default));

    /// <summary>
    /// Queues a change made of several requests (a state load, a reload), validated and sent
    /// exactly like a single request; answered to <paramref name="replyTo"/> with <paramref name="id"/>.
    /// </summary>
    public void EnqueueChange(string id, IReadOnlyList<ConfigRequest> requests, IActorRef replyTo)
    {
        ArgumentNullException.ThrowIfNull(requests);
        _queue.Enqueue(new Pending(id, null, replyTo, ValueList<ConfigRequest>.From(requests)));
        Self.Tell(Kick.Instance);
    }

    // ---- the request queue ----

    private void Drain()
    {
        // An upgrade_main holds the queue: a change committed after its state file was written would be lost.
        while (_inFlight is null && _stopping is null && _mainUpgrade is null && _queue.TryPeek(out var next))
        {
            if (next.Batch is not null || next.Request is ConfigRequest)
            {
                StartChanges();
                continue;
            }
            _queue.Dequeue();
            try
            {
                Execute(next);
            }
#pragma warning disable CA1031 // one bad request must not take the configuration actor (and its state) down
            catch (Exception e)
#pragma warning restore CA1031
            {
                _log.Error(e, "request {0} failed", next.Id);
                next.ReplyTo.Tell(Answer.Error(next.Id, $"internal error: {e.Message}"));
            }
        }
    }

    private void Execute(Pending pending)
    {
        var id = pending.Id;
        var replyTo = pending.ReplyTo;
        switch (pending.Request)
        {
            case ListWorkers:
                if (_adopting.Count > 0)
                {
                    // Just after upgrade_main: answer once the live workers are registered (or the
                    // probe gave up on them), not with an empty list while they serve.
                    _listsWaitingForAdoption.Add((id, replyTo));
                    return;
                }
                replyTo.Tell(Answer.Ok(id, new WorkersContent(ValueList<WorkerInfo>.From(WorkerInfos))));
                return;
            case Status:
                Context.ActorOf(StatusGatherJob.Props(id, replyTo, BuildStatus(), WorkerRefs()));
                return;
            case UpgradeMain:
                StartMainUpgrade(id, replyTo);
                return;
            case SoftStop or HardStop:
                BeginStop(id, pending.Request is HardStop, replyTo);
                return;
            case UpgradeWorker upgrade:
                if (!_slots.TryGetValue(upgrade.WorkerId, out var slot))
                {
                    replyTo.Tell(Answer.Error(id, $"no worker {upgrade.WorkerId}"));
                    return;
                }
                replyTo.Tell(Answer.Processing(id, $"starting a new process for worker {upgrade.WorkerId}"));
                slot.Tell(new UpgradeSlot(id, replyTo));
                return;
            case null:
                replyTo.Tell(Answer.Error(id, "missing request"));
                return;
        }
        var handled = false;
        HandleAdmin(id, pending.Request, replyTo, ref handled);
        if (!handled)
        {
            replyTo.Tell(Answer.Error(id, $"not supported yet: {RequestNames.Of(pending.Request)}"));
        }
    }

    private void OnWorkerResponse(WorkerResponse response)
    {
        foreach (var worker in _workers.Values)
        {
            if (worker.SyncId is not null && worker.SyncId == response.Id && worker.Id == response.WorkerId)
            {
                OnSyncAnswered(worker, response);
                return;
            }
        }
    }

    // ---- workers joining, syncing, leaving ----

    private void AdoptionSettled(int workerId)
    {
        if (!_adopting.Remove(workerId) || _adopting.Count > 0)
        {
            return;
        }
        var content = new WorkersContent(ValueList<WorkerInfo>.From(WorkerInfos));
        foreach (var (id, replyTo) in _listsWaitingForAdoption)
        {
            replyTo.Tell(Answer.Ok(id, content));
        }
        _listsWaitingForAdoption.Clear();
    }

    private void OnWorkerJoined(WorkerJoined joined)
    {
        _slots[joined.WorkerId] = Sender;
        if (_workers.TryGetValue(joined.WorkerId, out var previous) && !previous.Ref.Equals(joined.Worker))
        {
            Forget(previous);
        }
        var entry = new WorkerEntry(joined.WorkerId, joined.Pid, joined.Worker, Sender);
        _workers[joined.WorkerId] = entry;
        _log.Info("worker {0} (pid {1}) joined; sending the current state", joined.WorkerId, joined.Pid);
        BeginSync(entry);
        AdoptionSettled(joined.WorkerId);
    }

    private void OnWorkerLeft(WorkerLeft left)
    {
        if (_workers.TryGetValue(left.WorkerId, out var entry) && entry.Ref.Equals(left.Worker))
        {
            Forget(entry);
        }
    }

    private void Forget(WorkerEntry entry)
    {
        _workers.Remove(entry.Id);
        if (entry.SyncId is not null)
        {
            Timers.Cancel(SyncTimedOut.KeyFor(entry.Id));
        }
        if (_inFlight is { } batch && batch.Waiting.Remove(entry.Id) && batch.Waiting.Count == 0)
        {
            FinishChange(batch);
        }
    }

    private void BeginSync(WorkerEntry worker)
    {
        worker.InSync = false;
        worker.SyncId = NextId("sync");
        worker.SyncTarget = State;
        StateSync.Send(worker.Ref, worker.SyncId, State, Self, Logging.LogLevelControl.CurrentName, _ticketKeys);
        Timers.StartSingleTimer(SyncTimedOut.KeyFor(worker.Id), new SyncTimedOut(worker.Id, worker.SyncId), _settings.SyncTimeout);
    }

    private void OnSyncAnswered(WorkerEntry worker, WorkerResponse response)
    {
        Timers.Cancel(SyncTimedOut.KeyFor(worker.Id));
        worker.SyncId = null;
        if (response.Status == AnswerStatus.Error)
        {
            _log.Error("worker {0} refused the current state: {1}", worker.Id, response.Message);
            RequestRestart(worker.Id, "refused the current state: " + response.Message);
            return;
        }
        if (!ReferenceEquals(worker.SyncTarget, State))
        {
            BeginSync(worker); // the state moved on while it was syncing
            return;
        }
        worker.InSync = true;
        if (!worker.Ready)
        {
            worker.Ready = true;
            worker.Slot.Tell(new WorkerReady(worker.Id, worker.Ref));
        }
    }

    private void OnSyncTimedOut(SyncTimedOut timeout)
    {
        if (_workers.TryGetValue(timeout.WorkerId, out var worker) && worker.SyncId == timeout.SyncId)
        {
            worker.SyncId = null;
            RequestRestart(worker.Id, "did not confirm the current state in time");
        }
    }

    private void RequestRestart(int workerId, string reason)
    {
        if (_workers.TryGetValue(workerId, out var worker))
        {
            _log.Warning("restarting worker {0}: {1}", workerId, reason);
            worker.Slot.Tell(new RestartWorker(workerId, reason));
            Forget(worker);
        }
    }

    // ---- session-ticket keys ----

    /// <summary>A new current key; the old one opens tickets until the next rotation. Workers and standbys get both.</summary>
    private void RotateTicketKeysNow()
    {
        _ticketKeys = _ticketKeys.Rotate();
        var message = new SetTicketKeys(_ticketKeys);
        foreach (var worker in _workers.Values)
        {
            worker.Ref.Tell(message, Self);
        }
        // Each slot hands them to its standby, if it has one.
        foreach (var slot in _slots.Values)
        {
            slot.Tell(message, Self);
        }
        _log.Info("session-ticket keys rotated ({0} worker(s)); the previous key opens tickets until the next rotation", _workers.Count);
    }

    // ---- stopping ----

    private void BeginStop(string id, bool hard, IActorRef replyTo)
    {
        replyTo.Tell(Answer.Processing(id, hard ? "stopping every worker now" : "stopping every worker once its sessions are done"));
        _stopping = new PendingStop(id, replyTo, _slots.Count);
        if (_slots.Count == 0)
        {
            FinishStop();
            return;
        }
        foreach (var slot in _slots.Values)
        {
            // Each slot confirms with SlotsStopped once its process has exited.
            slot.Tell(new StopSlot(hard));
        }
    }

    private void FinishStop()
    {
        if (_stopping is not { } stop)
        {
            return;
        }
        stop.Left--;
        if (stop.Left > 0)
        {
            return;
        }
        stop.ReplyTo.Tell(Answer.Ok(stop.Id, message: "stopped"));
        // Give the answer time to leave over remoting before the system goes.
        var system = Context.System;
        system.Scheduler.Advanced.ScheduleOnce(_settings.ShutdownDelay, () => system.Terminate());
    }

    private string NextId(string kind) => $"{kind}-{++_sequence}";

    private sealed record Pending(string Id, Request? Request, IActorRef ReplyTo, ValueList<ConfigRequest>? Batch = null);

    private sealed class WorkerEntry(int id, int pid, IActorRef workerRef, IActorRef slot)
    {
        public int Id { get; } = id;

        public int Pid { get; } = pid;

        public IActorRef Ref { get; } = workerRef;

        public IActorRef Slot { get; } = slot;

        /// <summary>Confirmed the committed state and has no sync outstanding: changes go to it.</summary>
        public bool InSync { get; set; }

        public bool Ready { get; set; }

        public string? SyncId { get; set; }

        public ConfigState? SyncTarget { get; set; }
    }

    private sealed class PendingStop(string id, IActorRef replyTo, int left)
    {
        public string Id { get; } = id;

        public IActorRef ReplyTo { get; } = replyTo;

        public int Left { get; set; } = left;
    }

    private sealed record SyncTimedOut(int WorkerId, string SyncId)
    {
        public static string KeyFor(int workerId) => "sync-timeout-" + workerId;
    }

    private sealed class RotateTicketKeys
    {
        public const string Key = "ticket-key-rotation";
        public static readonly RotateTicketKeys Instance = new();
    }

    private sealed class Kick
    {
        public static readonly Kick Instance = new();
    }
}

/// <summary>Slot → ConfigurationActor: the worker of that slot has exited after a StopSlot.</summary>
public sealed record SlotsStopped(int WorkerId);

/// <summary>Slot → ConfigurationActor: the final answer of an upgrade_worker.</summary>
public sealed record UpgradeDone(IActorRef ReplyTo, Answer Answer);
