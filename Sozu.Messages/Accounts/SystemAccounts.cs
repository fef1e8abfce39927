using Sozu.Messages.Accounts.Interop;

namespace Sozu.Messages.Accounts;

/// <summary>
/// The uid and gid behind the `user` and `group` names of the configuration, as the system
/// resolves them (the C library's name service: /etc/passwd, /etc/group, or whatever NSS
/// is configured), so `config check` refuses a name the product could not switch to.
/// </summary>
public static unsafe class SystemAccounts
{
    // glibc, 64-bit: struct passwd { char *pw_name, *pw_passwd; uid_t pw_uid; gid_t pw_gid; char *pw_gecos, *pw_dir, *pw_shell; }
    // and struct group { char *gr_name, *gr_passwd; gid_t gr_gid; char **gr_mem; }: the ids follow two pointers.
    private const int IdOffset = 16;
    private const int EntrySize = 64;
    private const int BufferSize = 16 * 1024;

    /// <summary>The uid of user <paramref name="name"/> and its primary gid; false when there is no such user.</summary>
    public static bool TryFindUser(string name, out uint uid, out uint gid)
    {
        ArgumentNullException.ThrowIfNull(name);
        uid = gid = 0;
        if (!OperatingSystem.IsLinux() || name.Length == 0 || name.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }
        var entry = stackalloc byte[EntrySize];
        var buffer = new byte[BufferSize];
        byte* result = null;
        fixed (byte* raw = buffer)
        {
            if (GetPasswordEntry.Call(name, entry, raw, (nuint)buffer.Length, &result) != 0 || result == null)
            {
                return false;
            }
        }
        uid = *(uint*)(entry + IdOffset);
        gid = *(uint*)(entry + IdOffset + sizeof(uint));
        return true;
    }

    /// <summary>The gid of group <paramref name="name"/>; false when there is no such group.</summary>
    public static bool TryFindGroup(string name, out uint gid)
    {
        ArgumentNullException.ThrowIfNull(name);
        gid = 0;
        if (!OperatingSystem.IsLinux() || name.Length == 0 || name.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }
        var entry = stackalloc byte[EntrySize];
        var buffer = new byte[BufferSize];
        byte* result = null;
        fixed (byte* raw = buffer)
        {
            if (GetGroupEntry.Call(name, entry, raw, (nuint)buffer.Length, &result) != 0 || result == null)
            {
                return false;
            }
        }
        gid = *(uint*)(entry + IdOffset);
        return true;
    }
}
