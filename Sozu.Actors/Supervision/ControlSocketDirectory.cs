using System.Globalization;
using Sozu.Actors.Remoting.Interop;

namespace Sozu.Actors.Supervision;

/// <summary>Where the supervisor and its workers put their Akka sockets by default.</summary>
public static class ControlSocketDirectory
{
    /// <summary>
    /// A `sozu-&lt;uid&gt;` directory next to the command socket: same place the operator already
    /// chose for the JSON socket, one per user, so two users' proxies never share one.
    /// </summary>
    public static string Default(string commandSocket) => Default(commandSocket, GetEffectiveUserId.Call());

    /// <summary>
    /// The directory of the account the processes run as: with `user`, the uid they switch to,
    /// so a supervisor started as root and its upgrade_main successor (started as the user) agree.
    /// </summary>
    public static string Default(string commandSocket, uint uid)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commandSocket);
        var folder = Path.GetDirectoryName(Path.GetFullPath(commandSocket)) ?? Path.GetTempPath();
        return Path.Combine(folder, "sozu-" + uid.ToString(CultureInfo.InvariantCulture));
    }
}
