using Akka.Actor;
using Akka.Configuration;
using Sozu.Actors.Hocon;

namespace Sozu.Actors.Supervision;

/// <summary>
/// How one worker slot starts, watches and restarts its worker process. The property defaults
/// are those of Hocon/reference.conf (<c>sozu.supervision</c>); <see cref="Create"/> reads them
/// from the running configuration, which is what `sozu start` does.
/// </summary>
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

    /// <summary>The HOCON section of the slots' timings and back-off.</summary>
    public const string Section = "sozu.supervision";

    /// <summary>
    /// A slot's settings with every timing and the back-off policy from <paramref name="config"/>
    /// (<see cref="Section"/>; each key is required, its default being in the reference
    /// configuration): adopt-timeout, hello-timeout, ping-interval, ping-timeout,
    /// hard-stop-grace, backoff.min, backoff.max, backoff.random-factor, backoff.reset-after.
    /// </summary>
    /// <exception cref="ConfigurationException">A key is missing or out of range.</exception>
    public static WorkerSlotSettings Create(int workerId, WorkerCommand command, Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var minBackoff = RequiredKey.Duration(config, Section + ".backoff.min");
        var maxBackoff = RequiredKey.Duration(config, Section + ".backoff.max");
        if (maxBackoff < minBackoff)
        {
            throw new ConfigurationException($"{Section}.backoff.max ({maxBackoff}) is shorter than {Section}.backoff.min ({minBackoff}).");
        }
        return new WorkerSlotSettings(workerId, command)
        {
            AdoptTimeout = RequiredKey.Duration(config, Section + ".adopt-timeout"),
            HelloTimeout = RequiredKey.Duration(config, Section + ".hello-timeout"),
            PingInterval = RequiredKey.Duration(config, Section + ".ping-interval"),
            PingTimeout = RequiredKey.Duration(config, Section + ".ping-timeout"),
            HardStopGrace = RequiredKey.Duration(config, Section + ".hard-stop-grace"),
            MinBackoff = minBackoff,
            MaxBackoff = maxBackoff,
            Jitter = RequiredKey.Fraction(config, Section + ".backoff.random-factor"),
            ResetAfter = RequiredKey.Duration(config, Section + ".backoff.reset-after"),
        };
    }
}
