using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibSsl
{
    [LibraryImport(Name, EntryPoint = "SSL_CTX_set_ciphersuites")]
    internal static unsafe partial int SslCtxSetCiphersuites(SslContextHandle context, byte* suites);
}
