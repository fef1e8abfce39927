using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class Libc
{
    /// <param name="ev">A native epoll_event (packed, 12 bytes, on x86-64; see <see cref="EpollEventLayout"/>).</param>
    [LibraryImport(Name, EntryPoint = "epoll_ctl", SetLastError = true)]
    internal static unsafe partial int EpollCtl(int epfd, int op, int fd, byte* ev);
}
