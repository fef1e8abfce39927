using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibSsl
{
    [LibraryImport(Name, EntryPoint = "SSL_CTX_use_PrivateKey")]
    internal static partial int SslCtxUsePrivateKey(SslContextHandle context, nint key);
}
