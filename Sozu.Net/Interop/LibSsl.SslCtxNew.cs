using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibSsl
{
    [LibraryImport(Name, EntryPoint = "SSL_CTX_new")]
    internal static partial SslContextHandle SslCtxNew(nint method);
}
