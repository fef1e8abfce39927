using Sozu.Messages.Config;

namespace Sozu.Actors.CommandSocket;

/// <summary>The limits of the command socket; every one bounds what a single client can cost the supervisor.</summary>
public sealed record CommandSocketSettings
{
    /// <summary>Where the Unix stream socket is created (mode 0600).</summary>
    public required string Path { get; init; }

    /// <summary>A request line longer than this (bytes, newline excluded) gets an error answer and is skipped.</summary>
    public int MaxLineBytes { get; init; } = Defaults.MaxCommandLineBytes;

    /// <summary>Lines waiting to be written to one client; a client this far behind is disconnected.</summary>
    public int OutgoingQueueLines { get; init; } = 4096;

    /// <summary>Requests of one client awaiting their final answer; past this its reads pause.</summary>
    public int MaxRequestsInFlight { get; init; } = 64;

    /// <summary>command_allowed_uids: who may connect; default: the file mode alone (0600).</summary>
    public CommandSocketAccess Access { get; init; } = CommandSocketAccess.OwnerOnly;

    public static CommandSocketSettings From(GlobalConfig global)
    {
        ArgumentNullException.ThrowIfNull(global);
        return new CommandSocketSettings
        {
            Path = global.CommandSocket,
            MaxLineBytes = global.MaxCommandLineBytes,
            Access = new CommandSocketAccess(global.CommandAllowedUids),
        };
    }
}
