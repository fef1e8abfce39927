using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class Libc
{
    [LibraryImport(Name, EntryPoint = "getpeername", SetLastError = true)]
    internal static unsafe partial int GetPeerName(int fd, byte* address, int* addressLength);
}
