using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibCrypto
{
    [LibraryImport(Name, EntryPoint = "RAND_bytes")]
    internal static unsafe partial int RandBytes(byte* buffer, int length);
}
