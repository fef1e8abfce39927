using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class Libc
{
    [LibraryImport(Name, EntryPoint = "recv", SetLastError = true)]
    internal static unsafe partial nint Recv(int fd, byte* buffer, nint length, int flags);
}
