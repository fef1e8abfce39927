using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class Libc
{
    [LibraryImport(Name, EntryPoint = "accept4", SetLastError = true)]
    internal static unsafe partial int Accept4(int fd, byte* address, int* addressLength, int flags);
}
