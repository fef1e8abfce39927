using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibSsl
{
    [LibraryImport(Name, EntryPoint = "SSL_CTX_set_client_hello_cb")]
    internal static partial void SslCtxSetClientHelloCb(SslContextHandle context, nint callback, nint arg);
}
