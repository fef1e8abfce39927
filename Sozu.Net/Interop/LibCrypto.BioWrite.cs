using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibCrypto
{
    [LibraryImport(Name, EntryPoint = "BIO_write")]
    internal static unsafe partial int BioWrite(nint bio, byte* buffer, int length);
}
