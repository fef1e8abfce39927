using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibSsl
{
    [LibraryImport(Name, EntryPoint = "SSL_CTX_set_options")]
    internal static partial ulong SslCtxSetOptions(SslContextHandle context, ulong options);
}
