using Sozu.Net.Worker;

namespace Sozu.Actors.Workers;

/// <summary>What a WorkerActor needs: its id, its data-plane limits and where its supervisor is.</summary>
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
}
