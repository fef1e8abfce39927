using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibSsl
{
    [LibraryImport(Name, EntryPoint = "SSL_CTX_free")]
    internal static partial void SslCtxFree(nint context);
}
