using Sozu.Messages.Collections;
using Sozu.Messages.Requests;
using Sozu.Messages.Workers;

namespace Sozu.Actors.Workers;

// The public protocol, supervisor side (slot supervisor, ConfigurationActor) → a worker's
// WorkerActor. The answers are in FromWorker.cs; the actor's private messages are nested in it.

/// <summary>Slot supervisor → worker: registered; the worker watches the sender from now on.</summary>
public sealed record WorkerWelcome(int WorkerId) : ISozuActorMessage;

/// <summary>Slot supervisor → standby: known; the standby watches the sender and exits when it goes.</summary>
public sealed record StandbyWelcome(int WorkerId) : ISozuActorMessage;

/// <summary>
/// Slot supervisor → standby: the worker died, take over. The standby leaves standby mode and
/// says <see cref="WorkerHello"/>; the sync that follows activates its listeners.
/// </summary>
public sealed record ActivateStandby(int WorkerId) : ISozuActorMessage;

/// <summary>
/// ConfigurationActor (or a slot, for its standby) → worker: make your configuration exactly
/// <paramref name="Requests"/> (a full state, as ConfigState.ToRequests gives it). The worker
/// applies only the difference from what it has, then activates nothing else; answered by one
/// WorkerResponse with <paramref name="Id"/>. The first one a fresh worker confirms makes it
/// ready for traffic.
///
/// A state larger than a remoting frame travels in <paramref name="Parts"/> messages of the same
/// <paramref name="Id"/>, numbered by <paramref name="Part"/> from 0 (see <see cref="StateSync"/>);
/// the worker gathers them and applies the whole once the last arrived, so it never runs half a
/// state. <paramref name="LogLevel"/> (the supervisor's current level, a Sōzu name; null leaves
/// the worker's own) and <paramref name="TicketKeys"/> (installed before the state; null leaves
/// the worker's own) are read from the last part.
/// </summary>
public sealed record SyncState(
    string Id,
    ValueList<ConfigRequest> Requests,
    string? LogLevel = null,
    SessionTicketKeys? TicketKeys = null,
    int Part = 0,
    int Parts = 1) : ISozuActorMessage;

/// <summary>
/// ConfigurationActor → every worker in sync: one configuration change, made of the requests of
/// every command that arrived while the previous change was in flight, already validated against
/// the committed state in this order. <paramref name="Version"/> names the change; a change too
/// large for one remoting frame travels in <paramref name="Parts"/> messages of the same version
/// (<paramref name="Part"/> from 0), applied as they arrive. Answered once, by
/// <see cref="ChangesApplied"/>, after the last part or at the first refusal.
/// </summary>
public sealed record ApplyChanges(long Version, ValueList<ConfigRequest> Requests, int Part = 0, int Parts = 1) : ISozuActorMessage;

/// <summary>
/// ConfigurationActor → every worker and (through its slot) every standby, on each rotation:
/// seal session tickets with the new current key from now on, still open those of the previous.
/// Never answered: a worker that misses it gets the keys again with its next sync.
/// </summary>
public sealed record SetTicketKeys(SessionTicketKeys Keys) : ISozuActorMessage;

/// <summary>
/// ConfigurationActor (a <c>LogLevelJob</c>) → every worker, on set_logging: log at
/// <paramref name="Level"/> (a Sōzu name) from now on; answered with <see cref="WorkerLogLevelSet"/>
/// once it is in effect, so that set_logging answers when the workers log at that level.
/// </summary>
public sealed record SetWorkerLogLevel(string Level) : ISozuActorMessage;

/// <summary>Wedge detection: answered with <see cref="WorkerPong"/> from the loop thread.</summary>
public sealed record WorkerPing(long Sequence) : ISozuActorMessage;

/// <summary>
/// Soft: accept what waits in the queue, stop accepting, finish the open sessions (keep-alive
/// ones close after their next response, idle ones now), exit when none is left or at the
/// worker's soft_stop_timeout. Hard: close everything now, exit. <paramref name="RefuseNew"/>:
/// the whole product stops, so the worker also shuts the shared listening sockets (new
/// connections refused at once); an upgrade's old worker leaves them to the others.
/// </summary>
public sealed record StopWorker(bool Hard, bool RefuseNew = false) : ISozuActorMessage;

/// <summary>Supervisor → worker, for `status`: answered with <see cref="WorkerStatusReport"/> from the loop thread.</summary>
public sealed record QueryWorkerStatus : ISozuActorMessage
{
    public static readonly QueryWorkerStatus Instance = new();
}

/// <summary>In-process (tests, measurements): the local port a listener is bound to, -1 when not listening.</summary>
public sealed record QueryListenerPort(string Address);
