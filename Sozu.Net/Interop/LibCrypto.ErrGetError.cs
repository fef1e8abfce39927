using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibCrypto
{
    [LibraryImport(Name, EntryPoint = "ERR_get_error")]
    internal static partial ulong ErrGetError();
}
