using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibCrypto
{
    [LibraryImport(Name, EntryPoint = "BIO_read")]
    internal static unsafe partial int BioRead(nint bio, byte* buffer, int length);
}
