using System.Globalization;
using Sozu.Messages.Accounts;
using Sozu.Messages.Config;

namespace Sozu.Supervisor.Privileges;

/// <summary>
/// The account the configuration's `user` / `group` name, resolved to ids: the user's uid, and
/// the group's gid (the user's primary group when only `user` is given). With only `group`,
/// the uid stays the one the supervisor was started with.
/// </summary>
internal sealed record TargetAccount(string Description, uint Uid, uint Gid)
{
    /// <summary>Null when the configuration names neither; else the account, or an error (a name gone since the file was checked).</summary>
    public static TargetAccount? Resolve(GlobalConfig global, out string? error)
    {
        ArgumentNullException.ThrowIfNull(global);
        error = null;
        if (global.User is null && global.Group is null)
        {
            return null;
        }
        var uid = Interop.GetUserId.Call();
        var gid = Interop.GetGroupId.Call();
        if (global.User is { } user && !SystemAccounts.TryFindUser(user, out uid, out gid))
        {
            error = $"user \"{user}\" is unknown";
            return null;
        }
        if (global.Group is { } group && !SystemAccounts.TryFindGroup(group, out gid))
        {
            error = $"group \"{group}\" is unknown";
            return null;
        }
        var description = string.Create(CultureInfo.InvariantCulture, $"{global.User ?? "uid " + uid} (uid {uid}), group {global.Group ?? "gid " + gid} (gid {gid})");
        return new TargetAccount(description, uid, gid);
    }
}
