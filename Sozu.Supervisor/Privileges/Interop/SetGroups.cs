using System.Runtime.InteropServices;

namespace Sozu.Supervisor.Privileges.Interop;

internal static partial class SetGroups
{
    /// <summary>int setgroups(size_t size, const gid_t *list).</summary>
    [LibraryImport("libc", EntryPoint = "setgroups", SetLastError = true)]
    public static unsafe partial int Call(nuint count, uint* groups);
}
