using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibCrypto
{
    [LibraryImport(Name, EntryPoint = "EVP_PKEY_free")]
    internal static partial void EvpPkeyFree(nint key);
}
