using System.Runtime.InteropServices;

namespace Sozu.Supervisor.Privileges.Interop;

internal static partial class LChown
{
    /// <summary>int lchown(const char *path, uid_t owner, gid_t group).</summary>
    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Call(string path, uint owner, uint group);
}
