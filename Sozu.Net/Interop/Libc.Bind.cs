using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class Libc
{
    [LibraryImport(Name, EntryPoint = "bind", SetLastError = true)]
    internal static unsafe partial int Bind(int fd, byte* address, int addressLength);
}
