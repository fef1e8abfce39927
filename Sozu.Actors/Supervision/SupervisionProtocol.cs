using Akka.Actor;

namespace Sozu.Actors.Supervision;

// In-process messages between the slot supervisors and the ConfigurationActor.

/// <summary>Slot → ConfigurationActor: a worker registered; bring it to the current state.</summary>
public sealed record WorkerJoined(int WorkerId, int Pid, IActorRef Worker);

/// <summary>Slot → ConfigurationActor: that worker is gone (its process exited or it was declared dead).</summary>
public sealed record WorkerLeft(int WorkerId, IActorRef Worker);

/// <summary>ConfigurationActor → slot: the worker confirmed the current state and serves traffic.</summary>
public sealed record WorkerReady(int WorkerId, IActorRef Worker);

/// <summary>ConfigurationActor → slot: replace this worker (it refused a sync, or stopped answering).</summary>
public sealed record RestartWorker(int WorkerId, string Reason);

/// <summary>ConfigurationActor → slot: start a new process, wait for it to be ready, then soft-stop the old one.</summary>
public sealed record UpgradeSlot(string Id, IActorRef ReplyTo);

/// <summary>Stop the worker and do not restart it.</summary>
public sealed record StopSlot(bool Hard);

/// <summary>
/// Slot → ConfigurationActor at start: probing a live worker to adopt. Until the slot registers
/// it (<see cref="WorkerJoined"/>) or gives up the probe (<see cref="AdoptionOver"/>),
/// `list_workers` waits rather than answer without the workers that serve.
/// </summary>
public sealed record SlotAdopting(int WorkerId);

/// <summary>Slot → ConfigurationActor: the adoption probe's deadline passed without a worker registering.</summary>
public sealed record AdoptionOver(int WorkerId);

/// <summary>Slot → ConfigurationActor at start: this slot exists (so stops reach it even before its worker joins).</summary>
public sealed record SlotStarted(int WorkerId);

/// <summary>Published on the event stream when a dead worker's replacement is scheduled (tests, logs); a zero delay: at once, or a standby took over.</summary>
public sealed record RestartScheduled(int WorkerId, int CrashesInARow, TimeSpan Delay);

/// <summary>
/// Published on the event stream at each change of a slot's state (<paramref name="From"/> null:
/// the first state after start), like Akka's FSM transition callbacks: for tests and debugging.
/// </summary>
public sealed record WorkerSlotTransition(int WorkerId, WorkerSlotState? From, WorkerSlotState To);
