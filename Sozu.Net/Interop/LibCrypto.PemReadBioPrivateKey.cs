using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibCrypto
{
    [LibraryImport(Name, EntryPoint = "PEM_read_bio_PrivateKey")]
    internal static partial nint PemReadBioPrivateKey(nint bio, nint into, nint passwordCallback, nint userData);
}
