using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class Libc
{
    /// <remarks>Closing an fd also removes it from every epoll set: no EPOLL_CTL_DEL is needed.</remarks>
    [LibraryImport(Name, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);
}
