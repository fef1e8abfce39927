using System.Diagnostics;
using Sozu.Messages.Workers;

namespace Sozu.Actors.Configuration;

/// <summary>
/// How this supervisor starts its successor for upgrade_main: <see cref="Launch"/> gets the
/// state file to hand over, the file the successor creates once it has loaded everything
/// (configuration and state) and only waits for this process to go, and the session-ticket
/// keys (never written to a file: the launcher passes them through a pipe); it returns the
/// started process.
/// Both files live in <see cref="Directory"/>, the private socket directory.
/// </summary>
public sealed record MainUpgradeSettings(string Directory, Func<string, string, SessionTicketKeys, Process> Launch)
{
    /// <summary>A successor not ready by then is killed and the upgrade answered Error; this supervisor stays. Default: 30 s.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
