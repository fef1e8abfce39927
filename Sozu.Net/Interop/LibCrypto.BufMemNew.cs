using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibCrypto
{
    /// <summary>An empty BUF_MEM (no data allocated until it grows).</summary>
    [LibraryImport(Name, EntryPoint = "BUF_MEM_new")]
    internal static partial nint BufMemNew();
}
