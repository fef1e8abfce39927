using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class Libc
{
    [LibraryImport(Name, EntryPoint = "listen", SetLastError = true)]
    internal static partial int Listen(int fd, int backlog);
}
