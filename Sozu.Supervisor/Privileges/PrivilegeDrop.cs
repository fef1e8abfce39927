using System.Globalization;
using System.Runtime.InteropServices;
using Sozu.Supervisor.Privileges.Interop;

namespace Sozu.Supervisor.Privileges;

/// <summary>
/// Started as root with `user` / `group`: the supervisor opens what needs root (the listening
/// sockets, the configuration's certificate and key files, the saved state), hands its private
/// socket directory to the account, then switches its own ids for good (setgroups, setresgid,
/// setresuid: real, effective and saved, so nothing can switch back). Every worker it starts
/// afterwards inherits the account. Started as that account already: nothing to do. Started as
/// another non-root account: refused, since the switch is impossible.
/// </summary>
internal static class PrivilegeDrop
{
    /// <summary>Whether this process must switch to <paramref name="account"/>; an error when it cannot.</summary>
    public static bool IsNeeded(TargetAccount account, out string? error)
    {
        ArgumentNullException.ThrowIfNull(account);
        error = null;
        var uid = GetUserId.Call();
        var euid = GetEffectiveUserId.Call();
        var gid = GetGroupId.Call();
        if (uid == account.Uid && euid == account.Uid && gid == account.Gid)
        {
            return false;
        }
        if (euid != 0)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"user/group {account.Description}: switching needs `sozu start` as root; it runs as uid {euid}");
            return false;
        }
        return true;
    }

    /// <summary>
    /// The private socket directory (Akka sockets, the shared listening socket server) belongs to
    /// the account: created 0700 when missing, then owned by it (never following a symbolic link).
    /// </summary>
    public static void HandOver(string directory, TargetAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("privileges are dropped on Linux only");
        }
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        if (LChown.Call(directory, account.Uid, account.Gid) != 0)
        {
            throw new IOException($"cannot give {directory} to {account.Description}: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Switches groups, then gid, then uid (the other order would lose the right to change groups); throws when any step fails or root can be regained.</summary>
    public static unsafe void Apply(TargetAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        var gid = account.Gid;
        if (SetGroups.Call(1, &gid) != 0)
        {
            throw Failed("setgroups");
        }
        if (SetResGid.Call(account.Gid, account.Gid, account.Gid) != 0)
        {
            throw Failed("setresgid");
        }
        if (SetResUid.Call(account.Uid, account.Uid, account.Uid) != 0)
        {
            throw Failed("setresuid");
        }
        if (GetUserId.Call() != account.Uid || GetEffectiveUserId.Call() != account.Uid || GetGroupId.Call() != account.Gid)
        {
            throw new InvalidOperationException($"after switching to {account.Description} the process still runs with other ids");
        }
        if (account.Uid != 0 && SetResUid.Call(0, 0, 0) == 0)
        {
            throw new InvalidOperationException($"after switching to {account.Description} the process could become root again");
        }
    }

    private static InvalidOperationException Failed(string call) =>
        new($"{call} failed: errno {Marshal.GetLastPInvokeError()}");
}
