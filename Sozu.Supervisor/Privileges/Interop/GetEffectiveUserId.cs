using System.Runtime.InteropServices;

namespace Sozu.Supervisor.Privileges.Interop;

internal static partial class GetEffectiveUserId
{
    /// <summary>uid_t geteuid(void).</summary>
    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint Call();
}
