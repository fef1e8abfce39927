using System.Globalization;
using Sozu.Messages.Collections;
using Sozu.Messages.Workers;

namespace Sozu.Supervisor.Commands;

/// <summary>
/// What a supervisor started by upgrade_main gets from the one it replaces (hidden `sozu start`
/// options): its pid, the state file to run instead of the configuration file's routing, the file
/// to create once ready, the shared listening sockets it inherited (ADDRESS=FD), and the
/// session-ticket keys, read from its standard input (a pipe from the old supervisor: never a
/// file, never the command line, which any local user can read in /proc).
/// </summary>
internal sealed record UpgradeHandover(int FromPid, string StatePath, string ReadyPath, IReadOnlyList<KeyValuePair<string, int>> ListenFds)
{
    /// <summary>The hidden option that says the keys come on standard input.</summary>
    public const string TicketKeysOnStdin = "--ticket-keys-on-stdin";

    public SessionTicketKeys? TicketKeys { get; init; }

    /// <summary>One line: the current key, then the previous one ("-" when none), in hex.</summary>
    public static string FormatTicketKeys(SessionTicketKeys keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return Convert.ToHexString(keys.Current.AsSpan()) + " " + (keys.Previous.Count == 0 ? "-" : Convert.ToHexString(keys.Previous.AsSpan()));
    }

    /// <summary>The keys of a line written by <see cref="FormatTicketKeys"/>; null when it is not one (the successor then draws its own).</summary>
    public static SessionTicketKeys? ParseTicketKeys(string? line)
    {
        var parts = line?.Split(' ');
        if (parts is not { Length: 2 })
        {
            return null;
        }
        try
        {
            var keys = new SessionTicketKeys
            {
                Current = ValueList<byte>.From(Convert.FromHexString(parts[0])),
                Previous = parts[1] == "-" ? ValueList<byte>.Empty : ValueList<byte>.From(Convert.FromHexString(parts[1])),
            };
            return keys.FindViolation() is null ? keys : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

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
