using System.Runtime.InteropServices;

namespace Sozu.Actors.Remoting.Interop;

internal static partial class GetEffectiveUserId
{
    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint Call();
}
