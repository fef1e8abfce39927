using Akka.Actor;
using Akka.Event;
using Sozu.Actors.Configuration;
using Sozu.Actors.Workers;
using Sozu.Messages.Answers;
using Sozu.Messages.Collections;
using Sozu.Messages.Requests;
using Sozu.Messages.Workers;

namespace Sozu.Actors.Supervision;

/// <summary>
/// The standby (<see cref="WorkerSlotSettings.Standby"/>): a booted process on the worker's other
/// Akka slot, synced with the committed state but with its listeners inactive, which takes over
/// in milliseconds when the worker dies (a cold start takes a second or more). It exists only
/// while the slot is Serving with a ready worker and no upgrade's old process draining; any other
/// state kills it (its exit is then a process the slot no longer answers for).
/// </summary>
public sealed partial class WorkerSlotSupervisor
{
    private StandbyWorker? _standby;
    private int _standbyCrashes;
    private int _standbySyncs;

    // The back-off the crashes in a row call for before the next standby (none after a quiet period).
    private TimeSpan _nextStandbyDelay;

    /// <summary>Registered in the Serving state only.</summary>
    private void StandbyHandlers()
    {
        Receive<StandbyDue>(_ => StartStandby());
        Receive<StandbyHello>(OnStandbyHello);
        Receive<CurrentState>(SyncStandby);
        Receive<SetTicketKeys>(keys => _standby?.Actor?.Tell(keys));
        Receive<WorkerResponse>(OnStandbySynced);
    }

    /// <summary>
    /// Once the worker is ready, a standby is started behind it: after the back-off its crashes in
    /// a row call for (none after a quiet period), so a crash loop is not fed by standbys either.
    /// </summary>
    private void ScheduleStandby()
    {
        if (!CanHaveStandby())
        {
            return;
        }
        if (_nextStandbyDelay > TimeSpan.Zero)
        {
            Timers.StartSingleTimer(StandbyDue.Key, StandbyDue.Instance, _nextStandbyDelay);
            _nextStandbyDelay = TimeSpan.Zero;
            return;
        }
        StartStandby();
    }

    private bool CanHaveStandby() =>
        _settings.Standby && _settings.AutomaticRestart && _standby is null && _retiring is null
        && State == WorkerSlotState.Serving && _current is { Ready: true };

    private void StartStandby()
    {
        if (!CanHaveStandby())
        {
            return;
        }
        var slot = OtherSlot(_current!.Slot);
        WorkerProcess process;
        try
        {
            process = _launcher.Start(slot, standby: true, Self);
        }
#pragma warning disable CA1031 // a standby that cannot be started is retried after a back-off; the worker serves on
        catch (Exception e)
#pragma warning restore CA1031
        {
            _log.Error(e, "worker {0}: cannot start a standby", Id);
            Timers.StartSingleTimer(StandbyDue.Key, StandbyDue.Instance, _backoff.Delay(++_standbyCrashes, Random.Shared.NextDouble()));
            return;
        }
        _standby = new StandbyWorker(process, slot);
        _log.Info("worker {0}: started standby process {1} on slot {2}", Id, process.Pid, slot);
    }

    private void OnStandbyHello(StandbyHello hello)
    {
        if (hello.WorkerId != Id || _standby is not { } standby || standby.Process.Pid != hello.Pid)
        {
            return;
        }
        if (standby.Actor is null)
        {
            standby.Actor = hello.Worker;
            // Warm it with the committed state now (listeners stay inactive), so that taking
            // over applies only the difference: the activations and what changed meanwhile.
            _settings.Configuration?.Tell(GetState.Instance);
        }
        hello.Worker.Tell(new StandbyWelcome(Id));
    }

    /// <summary>The standby's sync: the committed state, which the standby applies with its listeners left inactive.</summary>
    private void SyncStandby(CurrentState state)
    {
        if (_standby?.Actor is not { } standby)
        {
            return;
        }
        var id = $"standby-{Id}-{++_standbySyncs}";
        StateSync.Send(standby, id, state.State, Self, ticketKeys: state.TicketKeys);
    }

    private void OnStandbySynced(WorkerResponse response)
    {
        if (_standby is not { } standby || !Sender.Equals(standby.Actor))
        {
            return;
        }
        if (response.Status == AnswerStatus.Ok)
        {
            _standbyCrashes = 0;
            _log.Info("worker {0}: standby process {1} is ready to take over", Id, standby.Process.Pid);
            return;
        }
        _log.Error("worker {0}: the standby refused the configuration ({1}); replacing it", Id, response.Message);
        _launcher.Kill(standby.Process);
    }

    private void StandbyExited(WorkerProcessExited exited)
    {
        exited.Process.Dispose();
        _standby = null;
        if (!_settings.Standby)
        {
            return;
        }
        var delay = _backoff.Delay(++_standbyCrashes, Random.Shared.NextDouble());
        _log.Warning("worker {0}: the standby (pid {1}) died: {2}; another in {3:0} ms", Id, exited.Process.Pid, ExitReason(exited), delay.TotalMilliseconds);
        Timers.StartSingleTimer(StandbyDue.Key, StandbyDue.Instance, delay);
    }

    /// <summary>The worker died: the standby takes over at once; a new standby follows it once it serves.</summary>
    private void PromoteStandby(CrashBackoffStep step)
    {
        var standby = _standby!;
        _standby = null;
        _nextStandbyDelay = step.Delay;
        _slot = standby.Slot;
        _current = new SlotWorker(standby.Process, standby.Slot, _clock.GetTimestamp());
        _log.Info("worker {0}: standby process {1} takes over (crash {2} in a row)", Id, standby.Process.Pid, step.CrashesInARow);
        Context.System.EventStream.Publish(new RestartScheduled(Id, step.CrashesInARow, TimeSpan.Zero));
        // Its hello (the answer) registers it like a new worker; the sync activates its listeners.
        standby.Actor?.Tell(new ActivateStandby(Id));
        Timers.StartSingleTimer(HelloTimedOut.Key, new HelloTimedOut(standby.Process.Pid), _settings.HelloTimeout);
        Enter(WorkerSlotState.Starting, Starting);
    }

    /// <summary>Killed, not waited for: only an upgrade needs its slot free, and waits for its exit (ClearingSlotForUpgrade).</summary>
    private void StopStandby()
    {
        Timers.Cancel(StandbyDue.Key);
        if (_standby is { } standby)
        {
            _standby = null;
            _launcher.Kill(standby.Process);
        }
    }

    private sealed class StandbyWorker(WorkerProcess process, int slot)
    {
        public WorkerProcess Process { get; } = process;

        public int Slot { get; } = slot;

        /// <summary>Its WorkerActor, once it said StandbyHello.</summary>
        public IActorRef? Actor { get; set; }
    }
}
