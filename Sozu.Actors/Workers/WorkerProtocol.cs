using Akka.Actor;
using Sozu.Messages.Collections;
using Sozu.Messages.Requests;
using Sozu.Messages.Workers;

namespace Sozu.Actors.Workers;

// Messages between the supervisor (slot supervisors, ConfigurationActor) and a worker's
// WorkerActor. Configuration changes themselves travel as Sozu.Messages.Workers.WorkerRequest,
// answered by WorkerResponse.

/// <summary>
/// Worker → its slot supervisor, repeated with back-off until welcomed: "worker
/// <paramref name="WorkerId"/>, process <paramref name="Pid"/>, is reachable at
/// <paramref name="Worker"/>". Also how a worker that outlived its supervisor is re-adopted.
/// </summary>
public sealed record WorkerHello(int WorkerId, int Pid, IActorRef Worker, bool Serving) : ISozuActorMessage;

/// <summary>Slot supervisor → worker: registered; the worker watches the sender from now on.</summary>
public sealed record WorkerWelcome(int WorkerId) : ISozuActorMessage;

/// <summary>
/// ConfigurationActor → worker: make your configuration exactly <paramref name="Requests"/>
/// (a full state, as ConfigState.ToRequests gives it). The worker applies only the difference
/// from what it has, then activates nothing else; answered by a WorkerResponse with
/// <paramref name="Id"/>. The first one a fresh worker confirms makes it ready for traffic.
/// <paramref name="LogLevel"/> is the supervisor's current log level (a Sōzu name), so a worker
/// started after a set_logging runs at that level too; null leaves the worker's own.
/// <paramref name="TicketKeys"/> are the supervisor's session-ticket keys, installed before the
/// state; null leaves the worker's own.
/// </summary>
public sealed record SyncState(string Id, ValueList<ConfigRequest> Requests, string? LogLevel = null, SessionTicketKeys? TicketKeys = null) : ISozuActorMessage;

/// <summary>
/// ConfigurationActor → every worker and (through its slot) every standby, on each rotation:
/// seal session tickets with the new current key from now on, still open those of the previous.
/// Never answered: a worker that misses it gets the keys again with its next sync.
/// </summary>
public sealed record SetTicketKeys(SessionTicketKeys Keys) : ISozuActorMessage;

/// <summary>ConfigurationActor → every worker, on set_logging: log at <paramref name="Level"/> (a Sōzu name) from now on.</summary>
public sealed record SetWorkerLogLevel(string Level) : ISozuActorMessage;

/// <summary>Wedge detection: answered with <see cref="WorkerPong"/> from the loop thread.</summary>
public sealed record WorkerPing(long Sequence) : ISozuActorMessage;

public sealed record WorkerPong(long Sequence, int WorkerId) : ISozuActorMessage;

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

/// <summary>Worker → supervisor: its process's uptime and its open client connections (sessions).</summary>
public sealed record WorkerStatusReport(int WorkerId, int Pid, long UptimeSeconds, int Connections) : ISozuActorMessage;

/// <summary>
/// Standby worker → its slot supervisor, repeated with back-off until
/// <see cref="StandbyWelcome"/>: "a booted process is waiting to take over worker
/// <paramref name="WorkerId"/>". It does not count as a worker until activated.
/// </summary>
public sealed record StandbyHello(int WorkerId, int Pid, IActorRef Worker) : ISozuActorMessage;

/// <summary>Slot supervisor → standby: known; the standby watches the sender and exits when it goes.</summary>
public sealed record StandbyWelcome(int WorkerId) : ISozuActorMessage;

/// <summary>
/// Slot supervisor → standby: the worker died, take over. The standby leaves standby mode and
/// says <see cref="WorkerHello"/>; the sync that follows activates its listeners.
/// </summary>
public sealed record ActivateStandby(int WorkerId) : ISozuActorMessage;
