using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibCrypto
{
    [LibraryImport(Name, EntryPoint = "EVP_EncryptInit_ex")]
    internal static unsafe partial int EvpEncryptInitEx(nint context, nint cipher, nint engine, byte* key, byte* iv);
}
