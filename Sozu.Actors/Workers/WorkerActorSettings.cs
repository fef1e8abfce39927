using Akka.Configuration;
using Sozu.Actors.Hocon;
using Sozu.Net.Worker;

namespace Sozu.Actors.Workers;

/// <summary>
/// What a WorkerActor needs: its id, its data-plane limits and where its supervisor is. The
/// timing defaults are those of Hocon/reference.conf (<c>sozu.worker</c>); <see cref="Create"/>
/// reads them from the running configuration, which is what `sozu-worker` does.
/// </summary>
public sealed record WorkerActorSettings(int WorkerId, ProxyWorkerOptions Options)
{
    /// <summary>The pinned dispatcher of hocon/worker.hocon.</summary>
    public const string LoopDispatcher = "sozu.loop-dispatcher";

    /// <summary>The eventfd mailbox of hocon/worker.hocon.</summary>
    public const string LoopMailbox = "sozu.loop-mailbox";

    /// <summary>
    /// <c>access_logs_target</c> (<see cref="Logging.LogTarget.Supports"/>);
    /// null: no access log. The WorkerActor opens it and closes it with its loop.
    /// </summary>
    public string? AccessLogsTarget { get; init; }

    /// <summary>
    /// A standby: it boots, registers as a standby, takes the configuration without activating
    /// any listener, and becomes the worker only when its slot sends <see cref="ActivateStandby"/>.
    /// </summary>
    public bool Standby { get; init; }

    /// <summary>The slot supervisor to say hello to (an actor path); null: none (tests).</summary>
    public string? SupervisorPath { get; init; }

    /// <summary>
    /// Longest epoll_wait of one slice, in ms: the worst delay of a system message (Stop, Watch),
    /// which does not wake the loop. Default: 100 ms.
    /// </summary>
    public int LoopSliceMs { get; init; } = 100;

    /// <summary>First interval between hellos; doubled up to <see cref="HelloMaxInterval"/>. Default: 250 ms.</summary>
    public TimeSpan HelloMinInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Default: 5 s.</summary>
    public TimeSpan HelloMaxInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The HOCON section of the worker's timings.</summary>
    public const string Section = "sozu.worker";

    /// <summary>loop-slice, hello-min-interval and hello-max-interval from <paramref name="config"/> (each required).</summary>
    /// <exception cref="ConfigurationException">A key is missing, not a positive duration, or the slice is not whole milliseconds.</exception>
    public static WorkerActorSettings Create(int workerId, ProxyWorkerOptions options, Config config)
    {
        var slice = RequiredKey.Duration(config, Section + ".loop-slice");
        if (slice.Ticks % TimeSpan.TicksPerMillisecond != 0 || slice.TotalMilliseconds > int.MaxValue)
        {
            throw new ConfigurationException($"{Section}.loop-slice = {slice} must be whole milliseconds (epoll_wait's unit).");
        }
        var helloMin = RequiredKey.Duration(config, Section + ".hello-min-interval");
        var helloMax = RequiredKey.Duration(config, Section + ".hello-max-interval");
        if (helloMax < helloMin)
        {
            throw new ConfigurationException($"{Section}.hello-max-interval ({helloMax}) is shorter than {Section}.hello-min-interval ({helloMin}).");
        }
        return new WorkerActorSettings(workerId, options)
        {
            LoopSliceMs = (int)slice.TotalMilliseconds,
            HelloMinInterval = helloMin,
            HelloMaxInterval = helloMax,
        };
    }
}
