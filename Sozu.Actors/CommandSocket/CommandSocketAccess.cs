using Sozu.Actors.Remoting.Interop;
using Sozu.Messages.Collections;

namespace Sozu.Actors.CommandSocket;

/// <summary>
/// Who may talk to the command socket (command_allowed_uids). Without a list, the file mode
/// decides (0600: the supervisor's user, and root). With one, the file is opened to every user
/// (0666) and the peer's uid, read from the kernel at accept, decides: the listed uids, root and
/// the supervisor's own uid; anyone else gets one error line and is disconnected before any of
/// its bytes is read.
/// </summary>
public sealed record CommandSocketAccess(ValueList<uint>? AllowedUids)
{
    public static readonly CommandSocketAccess OwnerOnly = new((ValueList<uint>?)null);

    /// <summary>The mode of the socket file.</summary>
    public UnixFileMode FileMode => AllowedUids is null
        ? UnixFileMode.UserRead | UnixFileMode.UserWrite
        : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    /// <summary>Whether a peer of uid <paramref name="uid"/> (null: unknown) may send requests.</summary>
    public bool Allows(uint? uid) => AllowedUids is not { } list
        || (uid is { } peer && (peer == 0 || peer == Self || list.Contains(peer)));

    /// <summary>The error answered to a refused peer.</summary>
    public static string Refusal(uint? uid) => uid is { } peer
        ? $"uid {peer} is not allowed on this command socket (command_allowed_uids)"
        : "the peer's uid cannot be read (SO_PEERCRED); refused (command_allowed_uids)";

    private static uint Self { get; } = GetEffectiveUserId.Call();
}
