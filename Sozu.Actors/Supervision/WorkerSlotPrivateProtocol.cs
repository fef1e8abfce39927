namespace Sozu.Actors.Supervision;

// The slot's messages to itself: its timers. Never sent by another actor (the public protocol
// is in SupervisionProtocol.cs and Workers/WorkerProtocol.cs).

/// <summary>The back-off before a replacement is over: start the worker.</summary>
internal sealed class RestartDue
{
    public const string Key = "restart";
    public static readonly RestartDue Instance = new();
}

/// <summary>Process <paramref name="Pid"/> had <see cref="WorkerSlotSettings.HelloTimeout"/> to say hello.</summary>
internal sealed record HelloTimedOut(int Pid)
{
    public const string Key = "hello-timeout";
}

/// <summary>Time to ping the worker's loop (and to check it answered the previous pings).</summary>
internal sealed class PingTick
{
    public const string Key = "ping";
    public static readonly PingTick Instance = new();
}

/// <summary>The adoption probe at start had <see cref="WorkerSlotSettings.AdoptTimeout"/> to be answered.</summary>
internal sealed class AdoptTimedOut
{
    public const string Key = "adopt";
    public static readonly AdoptTimedOut Instance = new();
}

/// <summary>The standby's own back-off is over: start one.</summary>
internal sealed class StandbyDue
{
    public const string Key = "standby";
    public static readonly StandbyDue Instance = new();
}

/// <summary>An upgrade killed the standby that holds the new process's slot; its exit did not come in time.</summary>
internal sealed class StandbyExitTimedOut
{
    public const string Key = "standby-exit";
    public static readonly StandbyExitTimedOut Instance = new();
}

/// <summary>The upgrade's old worker, told to stop softly, had the soft-stop grace to exit.</summary>
internal sealed class RetireTimedOut
{
    public const string Key = "retire";
    public static readonly RetireTimedOut Instance = new();
}

/// <summary>A stopping worker had its grace to exit (<paramref name="Killed"/>: and then the kill's).</summary>
internal sealed record StopTimedOut(bool Killed)
{
    public const string Key = "stop";
}
