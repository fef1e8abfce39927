using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibCrypto
{
    [LibraryImport(Name, EntryPoint = "ERR_error_string_n")]
    internal static unsafe partial void ErrErrorStringN(ulong error, byte* buffer, nuint length);
}
