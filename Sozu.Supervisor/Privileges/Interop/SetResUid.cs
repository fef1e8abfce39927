using System.Runtime.InteropServices;

namespace Sozu.Supervisor.Privileges.Interop;

internal static partial class SetResUid
{
    /// <summary>int setresuid(uid_t ruid, uid_t euid, uid_t suid).</summary>
    [LibraryImport("libc", EntryPoint = "setresuid", SetLastError = true)]
    public static partial int Call(uint real, uint effective, uint saved);
}
