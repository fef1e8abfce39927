using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibSsl
{
    [LibraryImport(Name, EntryPoint = "SSL_CTX_check_private_key")]
    internal static partial int SslCtxCheckPrivateKey(SslContextHandle context);
}
