namespace Sozu.Net.Sessions;

/// <summary>What a protocol stage tells its session after running.</summary>
internal enum StageResult : byte
{
    /// <summary>Blocked on sockets or a timer; run again on the next event.</summary>
    Wait,

    /// <summary>Done or failed: release everything and close the client.</summary>
    Close,

    /// <summary>Hand the session to <see cref="SessionStage.Next"/> (connect → pipe, HTTP → WebSocket).</summary>
    Upgrade,
}
