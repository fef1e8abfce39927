using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibCrypto
{
    [LibraryImport(Name, EntryPoint = "PEM_read_bio_X509")]
    internal static partial nint PemReadBioX509(nint bio, nint into, nint passwordCallback, nint userData);
}
