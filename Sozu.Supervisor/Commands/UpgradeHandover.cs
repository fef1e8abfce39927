using System.Globalization;

namespace Sozu.Supervisor.Commands;

/// <summary>
/// What a supervisor started by upgrade_main gets from the one it replaces (hidden `sozu start`
/// options): its pid, the state file to run instead of the configuration file's routing, the file
/// to create once ready, and the shared listening sockets it inherited (ADDRESS=FD).
/// </summary>
internal sealed record UpgradeHandover(int FromPid, string StatePath, string ReadyPath, IReadOnlyList<KeyValuePair<string, int>> ListenFds)
{
    /// <summary>The old supervisor must be gone by then, or this one gives up (it answered Ok and exits within a second).</summary>
    public static readonly TimeSpan ExitLimit = TimeSpan.FromSeconds(30);

    /// <summary>Parses "ADDRESS=FD" (the address may hold ':' and '[', never '=').</summary>
    public static bool TryParseListenFd(string text, out KeyValuePair<string, int> entry)
    {
        entry = default;
        var equals = text.LastIndexOf('=');
        if (equals <= 0 || !int.TryParse(text.AsSpan(equals + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var fd))
        {
            return false;
        }
        entry = new KeyValuePair<string, int>(text[..equals], fd);
        return true;
    }
}
