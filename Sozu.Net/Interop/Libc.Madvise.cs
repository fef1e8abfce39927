using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class Libc
{
    /// <remarks>MADV_DONTNEED on a private anonymous mapping drops the pages; the next touch maps zeroed ones.</remarks>
    [LibraryImport(Name, EntryPoint = "madvise", SetLastError = true)]
    internal static unsafe partial int Madvise(void* address, nuint length, int advice);
}
