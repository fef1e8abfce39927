using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibCrypto
{
    [LibraryImport(Name, EntryPoint = "BIO_s_mem")]
    internal static partial nint BioSMem();
}
