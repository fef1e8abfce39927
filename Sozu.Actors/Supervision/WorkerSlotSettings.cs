using Akka.Actor;

namespace Sozu.Actors.Supervision;

/// <summary>How one worker slot starts, watches and restarts its worker process.</summary>
public sealed record WorkerSlotSettings(int WorkerId, WorkerCommand Command)
{
    /// <summary>The ConfigurationActor told of joins and departures; null: nobody (tests).</summary>
    public IActorRef? Configuration { get; init; }

    /// <summary>The socket directory, to look for a live worker to adopt at start; null: never adopt.</summary>
    public string? SocketDirectory { get; init; }

    public string SystemName { get; init; } = "sozu";

    /// <summary>worker_automatic_restart: false leaves a dead worker dead.</summary>
    public bool AutomaticRestart { get; init; } = true;

    /// <summary>
    /// worker_standby: keep a booted standby process per worker, synced but not accepting, that
    /// takes over in milliseconds when the worker dies (a cold start takes a second or more).
    /// Costs one more idle process per worker. Default here: off (tests); `sozu start`: on.
    /// </summary>
    public bool Standby { get; init; }

    /// <summary>The delay before the first restart; doubled at each crash in a row. Default: 200 ms.</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Default: 30 s.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A worker that ran this long before dying starts the back-off over. Default: 60 s.</summary>
    public TimeSpan ResetAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>± fraction of random jitter on each delay, so workers do not restart in step. Default: 0.2.</summary>
    public double Jitter { get; init; } = 0.2;

    /// <summary>HOCON key of <see cref="AdoptTimeout"/> in the supervisor's configuration.</summary>
    public const string AdoptTimeoutKey = "sozu.supervision.adopt-timeout";

    /// <summary>
    /// How long the adoption probe at start waits for a live worker's answer before starting a
    /// new process. A worker that answers later is still adopted, or told to stop softly if the
    /// new process registered first (never ignored). Default: 5 s.
    /// </summary>
    public TimeSpan AdoptTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A process that has not said hello by then is killed and counts as a crash. Default: 15 s.</summary>
    public TimeSpan HelloTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Interval of the ping answered from the worker's loop thread. Default: 1 s.</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>No pong for this long: the loop is wedged, the process is killed. Default: 10 s.</summary>
    public TimeSpan PingTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// After a soft stop request, the process is killed past this: a last resort, the worker ends
    /// its own drain at its soft_stop_timeout (`sozu start` sets this a few seconds later). Default: 30 s.
    /// </summary>
    public TimeSpan SoftStopGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>After a hard stop request, the process is killed past this. Default: 2 s.</summary>
    public TimeSpan HardStopGrace { get; init; } = TimeSpan.FromSeconds(2);
}
