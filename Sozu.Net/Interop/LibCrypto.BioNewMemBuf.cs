using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibCrypto
{
    [LibraryImport(Name, EntryPoint = "BIO_new_mem_buf")]
    internal static unsafe partial nint BioNewMemBuf(byte* data, int length);
}
