using System.Runtime.InteropServices;

namespace Sozu.Supervisor.Privileges.Interop;

internal static partial class SetResGid
{
    /// <summary>int setresgid(gid_t rgid, gid_t egid, gid_t sgid).</summary>
    [LibraryImport("libc", EntryPoint = "setresgid", SetLastError = true)]
    public static partial int Call(uint real, uint effective, uint saved);
}
