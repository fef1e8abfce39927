using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class Libc
{
    /// <remarks>Only the integer-argument form (F_GETFL / F_SETFL), to make an inherited socket non-blocking.</remarks>
    [LibraryImport(Name, EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int Fcntl(int fd, int command, int argument);
}
