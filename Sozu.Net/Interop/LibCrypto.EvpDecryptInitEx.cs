using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibCrypto
{
    [LibraryImport(Name, EntryPoint = "EVP_DecryptInit_ex")]
    internal static unsafe partial int EvpDecryptInitEx(nint context, nint cipher, nint engine, byte* key, byte* iv);
}
