using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class Libc
{
    [LibraryImport(Name, EntryPoint = "write", SetLastError = true)]
    internal static unsafe partial nint Write(int fd, byte* buffer, nint length);
}
