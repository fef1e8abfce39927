using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibCrypto
{
    [LibraryImport(Name, EntryPoint = "BIO_free")]
    internal static partial int BioFree(nint bio);
}
