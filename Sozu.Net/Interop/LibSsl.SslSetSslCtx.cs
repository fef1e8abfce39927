using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibSsl
{
    [LibraryImport(Name, EntryPoint = "SSL_set_SSL_CTX")]
    internal static partial nint SslSetSslCtx(nint ssl, nint context);
}
