using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibCrypto
{
    /// <summary>A static cipher description owned by libcrypto: never freed.</summary>
    [LibraryImport(Name, EntryPoint = "EVP_aes_256_cbc")]
    internal static partial nint EvpAes256Cbc();
}
