using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibSsl
{
    [LibraryImport(Name, EntryPoint = "SSL_get_error")]
    internal static partial int SslGetError(SslHandle ssl, int result);
}
