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
    public static string Default(string commandSocket)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commandSocket);
        var folder = Path.GetDirectoryName(Path.GetFullPath(commandSocket)) ?? Path.GetTempPath();
        return Path.Combine(folder, "sozu-" + GetEffectiveUserId.Call().ToString(CultureInfo.InvariantCulture));
    }
}
