namespace Sozu.Actors.Supervision;

/// <summary>The states of a <see cref="WorkerSlotSupervisor"/> (its class comment has the transitions).</summary>
public enum WorkerSlotState
{
    /// <summary>At start: a socket file on one of the slot's Akka slots; asking whether a worker lives there.</summary>
    Adopting,

    /// <summary>A process was started (or a standby promoted) and has not said hello yet.</summary>
    Starting,

    /// <summary>No worker: a restart is due after the back-off, or none (automatic restart off).</summary>
    Vacant,

    /// <summary>A worker is registered (in sync and ready, or being synced); a standby may wait behind it.</summary>
    Serving,

    /// <summary>upgrade_worker: a new process on the other Akka slot, the old worker serving until the new one is ready.</summary>
    Upgrading,

    /// <summary>StopSlot: the worker was told to stop; waiting for its exit (killed past the grace).</summary>
    Stopping,

    /// <summary>The slot's worker exited after a stop; late workers are told to stop too.</summary>
    Stopped,
}
