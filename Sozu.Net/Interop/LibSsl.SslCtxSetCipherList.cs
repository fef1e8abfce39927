using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibSsl
{
    [LibraryImport(Name, EntryPoint = "SSL_CTX_set_cipher_list")]
    internal static unsafe partial int SslCtxSetCipherList(SslContextHandle context, byte* ciphers);
}
