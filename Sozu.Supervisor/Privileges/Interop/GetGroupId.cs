using System.Runtime.InteropServices;

namespace Sozu.Supervisor.Privileges.Interop;

internal static partial class GetGroupId
{
    /// <summary>gid_t getgid(void).</summary>
    [LibraryImport("libc", EntryPoint = "getgid")]
    public static partial uint Call();
}
