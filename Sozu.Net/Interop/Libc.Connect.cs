using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class Libc
{
    [LibraryImport(Name, EntryPoint = "connect", SetLastError = true)]
    internal static unsafe partial int Connect(int fd, byte* address, int addressLength);
}
