using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class Libc
{
    /// <remarks>Always pass <see cref="MsgNoSignal"/>: a peer that reset must give EPIPE, not SIGPIPE.</remarks>
    [LibraryImport(Name, EntryPoint = "send", SetLastError = true)]
    internal static unsafe partial nint Send(int fd, byte* buffer, nint length, int flags);
}
