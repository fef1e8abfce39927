using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibSsl
{
    [LibraryImport(Name, EntryPoint = "SSL_CTX_set_alpn_select_cb")]
    internal static partial void SslCtxSetAlpnSelectCb(SslContextHandle context, nint callback, nint arg);
}
