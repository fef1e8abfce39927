using System.Runtime.InteropServices;

namespace Sozu.Net.Interop;

internal static partial class LibSsl
{
    [LibraryImport(Name, EntryPoint = "SSL_shutdown")]
    internal static partial int SslShutdown(SslHandle ssl);
}
