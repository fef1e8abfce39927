using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibSsl
{
    [LibraryImport(Name, EntryPoint = "SSL_CTX_use_certificate")]
    internal static partial int SslCtxUseCertificate(SslContextHandle context, nint x509);
}
