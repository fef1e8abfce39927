using System.Runtime.InteropServices;

namespace Sozu.Supervisor.Privileges.Interop;

internal static partial class GetUserId
{
    /// <summary>uid_t getuid(void).</summary>
    [LibraryImport("libc", EntryPoint = "getuid")]
    public static partial uint Call();
}
