using Akka.Actor;

namespace Sozu.Actors.Workers;

// The public protocol, a worker's WorkerActor → the supervisor side (its slot supervisor, the
// ConfigurationActor). A SyncState is answered by Sozu.Messages.Workers.WorkerResponse.

/// <summary>
/// Worker → its slot supervisor, repeated with back-off until welcomed: "worker
/// <paramref name="WorkerId"/>, process <paramref name="Pid"/>, is reachable at
/// <paramref name="Worker"/>". Also how a worker that outlived its supervisor is re-adopted.
/// </summary>
public sealed record WorkerHello(int WorkerId, int Pid, IActorRef Worker, bool Serving) : ISozuActorMessage;

/// <summary>
/// Standby worker → its slot supervisor, repeated with back-off until
/// <see cref="StandbyWelcome"/>: "a booted process is waiting to take over worker
/// <paramref name="WorkerId"/>". It does not count as a worker until activated.
/// </summary>
public sealed record StandbyHello(int WorkerId, int Pid, IActorRef Worker) : ISozuActorMessage;

/// <summary>
/// Worker → ConfigurationActor, once per <see cref="ApplyChanges"/> version: the first
/// <paramref name="Applied"/> requests of the change are in force. <paramref name="Error"/> is
/// null when all of them are; otherwise it is why request number <paramref name="Applied"/>
/// (counted from 0 over every part) was refused, and nothing after it was applied.
/// </summary>
public sealed record ChangesApplied(long Version, int WorkerId, int Applied, string? Error = null) : ISozuActorMessage;

public sealed record WorkerPong(long Sequence, int WorkerId) : ISozuActorMessage;

/// <summary>Worker → supervisor: its process's uptime and its open client connections (sessions).</summary>
/// <summary>Worker → the sender of <see cref="SetWorkerLogLevel"/>: the level named is in effect in the worker.</summary>
public sealed record WorkerLogLevelSet(int WorkerId, string Level) : ISozuActorMessage;

public sealed record WorkerStatusReport(int WorkerId, int Pid, long UptimeSeconds, int Connections) : ISozuActorMessage;
